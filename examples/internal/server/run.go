package server

import (
	"context"
	"embed"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/contacthttp"
	"github.com/contactpatch/contactpatch/sqlstore"
)

// DemoKey is the public write key a server accepts under -demo.
const DemoKey = "demo_key"

// Seed is the format of a seed file: the contacts as the API's GET
// returns them (envelope included), and the company's custom-field names.
type Seed struct {
	CustomFields []string          `json:"custom_fields"`
	Contacts     []json.RawMessage `json:"contacts"`
}

// ParseSeed reads a seed file: its contacts, as the API's GET returns
// them, and the company's custom-field names.
func ParseSeed(prof *cp.Profile, data []byte) ([]cp.Contact, []string, error) {
	var seed Seed
	if err := json.Unmarshal(data, &seed); err != nil {
		return nil, nil, fmt.Errorf("seed: %w", err)
	}
	var contacts []cp.Contact
	for i, raw := range seed.Contacts {
		c, err := prof.ParseContact(raw)
		if err != nil {
			return nil, nil, fmt.Errorf("seed: contact %d: %w", i, err)
		}
		if c.ID == "" {
			return nil, nil, fmt.Errorf("seed: contact %d has no id", i)
		}
		contacts = append(contacts, c)
	}
	return contacts, seed.CustomFields, nil
}

// LoadSeed reads a seed file into a new MemoryStore.
func LoadSeed(prof *cp.Profile, data []byte) (*cp.MemoryStore, []string, error) {
	contacts, names, err := ParseSeed(prof, data)
	if err != nil {
		return nil, nil, err
	}
	var store cp.MemoryStore
	for _, c := range contacts {
		store.Put(c)
	}
	return &store, names, nil
}

// OpenStore opens the store -db names: "" for a MemoryStore holding the
// seed, else a database (sqlite:PATH, postgres://...) that the seed fills
// only when it holds no contact yet, so that a restart keeps what was
// written.
func OpenStore(ctx context.Context, dsn string, opts *sqlstore.Options, prof *cp.Profile, data []byte) (Store, []string, func(), error) {
	if dsn == "" {
		s, names, err := LoadSeed(prof, data)
		return s, names, func() {}, err
	}
	contacts, names, err := ParseSeed(prof, data)
	if err != nil {
		return nil, nil, nil, err
	}
	db, err := sqlstore.Open(ctx, dsn, opts)
	if err != nil {
		return nil, nil, nil, err
	}
	if _, err := db.Seed(ctx, contacts, prof.UniqueKeys); err != nil {
		db.Close()
		return nil, nil, nil, err
	}
	return db, names, func() { db.Close() }, nil
}

// Main parses the common flags, loads the seed (the embedded sample.json
// unless -seed names a file), opens the store (-db) and serves api until
// SIGINT or SIGTERM.
func Main(api API, sample embed.FS) {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	seedFile := flag.String("seed", "", "seed file of contacts in the API's format (default: the built-in sample)")
	dsn := flag.String("db", "", "database of the contacts: sqlite:PATH or postgres://...; empty keeps them in memory")
	key := flag.String("key", "", "API key allowed to read and write (required, unless -demo)")
	demo := flag.Bool("demo", false, "accept the public demo key "+DemoKey+" for reads and writes: for trying the server, never for real data")
	maxConns := flag.Int("db-max-conns", 0, "connections to the database at most (default 10); over PostgreSQL keep replicas x this below max_connections")
	readKey := flag.String("read-key", "", "API key allowed only to read (403 on PATCH)")
	rate := flag.Float64("rate", 0, "requests per second per API key; 0 for no limit (429 past it)")
	burst := flag.Int("burst", 10, "requests a key may make at once before -rate applies")
	flag.Parse()

	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	writeKey, err := chooseKey(*key, *demo)
	if err != nil {
		logger.Error("not started", "err", err)
		os.Exit(2)
	}
	if writeKey == DemoKey {
		logger.Warn("accepting reads and writes with the public demo key (-demo): never for real data", "key", DemoKey)
	}
	cfg := Config{WriteKey: writeKey, ReadKey: *readKey, Rate: *rate, Burst: *burst, Logger: logger,
		DB: &sqlstore.Options{MaxConns: *maxConns}}
	if err := run(api, *addr, *seedFile, *dsn, sample, cfg); err != nil {
		logger.Error("server stopped", "err", err)
		os.Exit(1)
	}
}

// chooseKey is the write key: -key, or the demo key under -demo. The demo
// key is public, so it is accepted only when asked for by name.
func chooseKey(key string, demo bool) (string, error) {
	switch {
	case key == "" && demo:
		return DemoKey, nil
	case key == "":
		return "", fmt.Errorf("no -key: give the API key that may write, or -demo to accept the public %s", DemoKey)
	case key == DemoKey && !demo:
		return "", fmt.Errorf("-key %s is the public demo key: pass -demo to accept it", DemoKey)
	}
	return key, nil
}

func run(api API, addr, seedFile, dsn string, sample embed.FS, cfg Config) error {
	data, err := readSeed(seedFile, sample)
	if err != nil {
		return err
	}
	cfg.API = api
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var closeStore func()
	if cfg.Store, cfg.CustomFields, closeStore, err = OpenStore(ctx, dsn, cfg.DB, api.Profile, data); err != nil {
		return err
	}
	defer closeStore()
	srv := contacthttp.NewServer(addr, New(cfg), contacthttp.DefaultTimeouts())
	store := "memory"
	if dsn != "" {
		store, _, _ = strings.Cut(dsn, ":")
	}
	cfg.Logger.Info("serving", "api", api.Name, "addr", addr, "store", store)
	if err := contacthttp.Serve(ctx, srv, 5*time.Second); err != nil {
		return err
	}
	cfg.Logger.Info("shut down")
	return nil
}

func readSeed(file string, sample embed.FS) ([]byte, error) {
	if file != "" {
		return os.ReadFile(file)
	}
	return fs.ReadFile(sample, "sample.json")
}
