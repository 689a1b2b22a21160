// Package pgtest gives tests a real PostgreSQL server: the one
// CONTACTPATCH_POSTGRES_URL names, or a throwaway cluster it starts from
// the server binaries of Debian's postgresql package
// (/usr/lib/postgresql/*/bin) on a temporary data directory and a free
// port, run as the postgres user when the tests run as root, and stopped
// when the tests end.
package pgtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
)

// Server is a PostgreSQL server the tests may create databases on.
type Server struct {
	URL  string // of its postgres database, as a superuser
	stop func()
	n    atomic.Int64
}

// ErrUnavailable is why Start could not give a server.
var ErrUnavailable = errors.New("pgtest: no PostgreSQL server: set CONTACTPATCH_POSTGRES_URL, or install the postgresql package (.ci/run does)")

// Start returns the server of CONTACTPATCH_POSTGRES_URL, or starts one.
func Start() (*Server, error) {
	if u := os.Getenv("CONTACTPATCH_POSTGRES_URL"); u != "" {
		return &Server{URL: u, stop: func() {}}, nil
	}
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(bins) == 0 {
		return nil, ErrUnavailable
	}
	slices.SortFunc(bins, func(a, b string) int { return version(b) - version(a) })
	return startCluster(filepath.Dir(bins[0]))
}

func version(initdb string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(initdb))))
	return v
}

// startCluster runs initdb and the server from bin as the current user,
// or as postgres when that is root, which PostgreSQL refuses to run as.
func startCluster(bin string) (*Server, error) {
	dir, err := os.MkdirTemp("", "contactpatch-pg-")
	if err != nil {
		return nil, err
	}
	data := filepath.Join(dir, "data")
	run := func(name string, args ...string) *exec.Cmd { return exec.Command(filepath.Join(bin, name), args...) }
	if os.Geteuid() == 0 {
		pg, err := user.Lookup("postgres")
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("pgtest: running as root needs the postgres user: %w", err)
		}
		if err := exec.Command("chown", pg.Uid+":"+pg.Gid, dir).Run(); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		run = func(name string, args ...string) *exec.Cmd {
			return exec.Command("runuser", append([]string{"-u", "postgres", "--", filepath.Join(bin, name)}, args...)...)
		}
	}
	if out, err := run("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync").CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pgtest: initdb: %v\n%s", err, out)
	}
	port, err := freePort()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", port, dir)
	if out, err := run("pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start").CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pgtest: pg_ctl start: %v\n%s\n%s", err, out, log)
	}
	stop := func() {
		run("pg_ctl", "-D", data, "-m", "immediate", "-w", "stop").Run()
		os.RemoveAll(dir)
	}
	return &Server{URL: fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port), stop: stop}, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Stop stops a server Start started; one it was given stays up.
func (s *Server) Stop() { s.stop() }

// Database creates a new, empty database and returns its URL.
func (s *Server) Database(prefix string) (string, error) {
	name := fmt.Sprintf("%s_%d_%d", prefix, os.Getpid(), s.n.Add(1))
	db, err := sql.Open("pgx", s.URL)
	if err != nil {
		return "", err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return "", fmt.Errorf("pgtest: create database: %w", err)
	}
	u, err := url.Parse(s.URL)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	return u.String(), nil
}
