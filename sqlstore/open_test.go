package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/sqlstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// O4: a file name with the characters an SQLite URI gives a meaning to
// opens that very file.
func TestSQLitePathIsPassedSafely(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a?b#c%d&mode=ro.db")
	s := openWith(t, "sqlite:"+path, nil)
	require.NoError(t, cp.Default().Insert(context.Background(), s, cp.DefaultTenant, cp.Contact{ID: "c1", Version: 1}))
	_, err := os.Stat(path)
	assert.NoError(t, err, "the file is not where its name says")
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		assert.Contains(t, e.Name(), "a?b#c%d&mode=ro.db", "a file of another name")
	}
}

// O4: a damaged SQLite file is refused at open, before anything is
// written to it.
func TestDamagedSQLiteIsRefusedAtOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.db")
	s, err := sqlstore.Open(context.Background(), "sqlite:"+path, nil)
	require.NoError(t, err)
	for i := range 200 {
		require.NoError(t, cp.Default().Insert(context.Background(), s, cp.DefaultTenant, cp.Contact{ID: fmt.Sprintf("c%03d", i), Notes: cp.Value(fmt.Sprint(make([]byte, 200))), Version: 1}))
	}
	require.NoError(t, s.Close())
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	require.NoError(t, err)
	garbage := make([]byte, 4096)
	for i := range garbage {
		garbage[i] = byte(i*7 + 3)
	}
	_, err = f.WriteAt(garbage, 4*4096) // a page in the middle of the contacts
	require.NoError(t, err)
	require.NoError(t, f.Close())
	_, err = sqlstore.Open(context.Background(), "sqlite:"+path, nil)
	assert.Error(t, err, "a damaged file opened")
}

// O1, O2: a PostgreSQL that cannot be reached is 503 unavailable, soon.
func TestUnreachablePostgresIs503(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	start := time.Now()
	_, err = sqlstore.Open(context.Background(), "postgres://u@"+addr+"/db?sslmode=disable", &sqlstore.Options{ConnectTimeout: time.Second})
	require.Error(t, err)
	assert.Less(t, time.Since(start), 5*time.Second)
	assert.Equal(t, 503, cp.HTTPStatus(err), "%v", err)
	assert.True(t, errors.Is(err, sqlstore.ErrUnavailable), "%v", err)
}
