package server

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
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
		// A seed is checked as a create is (rule W1), so that a bad one
		// stops the start rather than lands in the store.
		if err := prof.Check(context.Background(), c); err != nil {
			return nil, nil, fmt.Errorf("seed: contact %d (%s): %w", i, c.ID, err)
		}
		contacts = append(contacts, c)
	}
	return contacts, seed.CustomFields, nil
}

// Seeds are the seed files of a server's tenants: each tenant's file,
// by tenant.
type Seeds map[string][]byte

// OpenStore opens the store -db names and seeds each tenant: "" for a
// MemoryStore holding the seeds, else a database (sqlite:PATH,
// postgres://...) where a seed fills only a tenant that holds no contact
// yet, so that a restart keeps what was written. A seed that cannot be
// stored (an id twice, two contacts with one unique email) stops the
// start and leaves nothing of that tenant behind. It returns each
// tenant's custom-field names.
func OpenStore(ctx context.Context, dsn string, opts *sqlstore.Options, prof *cp.Profile, seeds Seeds) (Store, map[string][]string, func(), error) {
	parsed := map[string][]cp.Contact{}
	names := map[string][]string{}
	for tenant, data := range seeds {
		contacts, custom, err := ParseSeed(prof, data)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("tenant %s: %w", tenant, err)
		}
		parsed[tenant], names[tenant] = contacts, custom
	}
	if dsn == "" {
		store := new(cp.MemoryStore)
		for tenant, contacts := range parsed {
			if err := seedMemory(ctx, store, prof, tenant, contacts); err != nil {
				return nil, nil, nil, err
			}
		}
		return store, names, func() {}, nil
	}
	db, err := sqlstore.Open(ctx, dsn, opts)
	if err != nil {
		return nil, nil, nil, err
	}
	for tenant, contacts := range parsed {
		if _, err := db.Seed(ctx, tenant, contacts, prof.UniqueKeys); err != nil {
			db.Close()
			return nil, nil, nil, fmt.Errorf("seed of tenant %s: %w", tenant, err)
		}
	}
	return db, names, func() { db.Close() }, nil
}

// seedMemory stores a tenant's seed in one all-or-nothing batch, as
// sqlstore's Seed does.
func seedMemory(ctx context.Context, store *cp.MemoryStore, prof *cp.Profile, tenant string, contacts []cp.Contact) error {
	ws := make([]cp.Write, len(contacts))
	for i, c := range contacts {
		ws[i] = cp.Write{Tenant: tenant, Op: cp.Insert, Contact: c, Keys: prof.UniqueKeys(c)}
	}
	errs, err := store.WriteMany(ctx, ws, true)
	if err == nil {
		err = errors.Join(errs...)
	}
	if err != nil {
		return fmt.Errorf("seed of tenant %s: %w", tenant, err)
	}
	return nil
}

// Main parses the common flags, loads the seed (the embedded sample.json
// unless -seed names a file), opens the store (-db) and serves api until
// SIGINT or SIGTERM.
func Main(api API, sample embed.FS) {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	seedFiles := map[string]string{}
	flag.Func("seed", "seed file of contacts in the API's format, for the default tenant, or TENANT=FILE for a named one; repeatable (default: the built-in sample, for the default tenant)", func(v string) error {
		tenant, file, named := strings.Cut(v, "=")
		if !named {
			tenant, file = cp.DefaultTenant, v
		}
		if tenant == "" || file == "" {
			return fmt.Errorf("want FILE or TENANT=FILE, not %q", v)
		}
		if _, dup := seedFiles[tenant]; dup {
			return fmt.Errorf("tenant %s is seeded twice", tenant)
		}
		seedFiles[tenant] = file
		return nil
	})
	keysFile := flag.String("keys", "", `file of API keys, each of one tenant: a JSON array of {"key": "...", "tenant": "...", "scopes": ["read", "write"]}`)
	dsn := flag.String("db", "", "database of the contacts: sqlite:PATH or postgres://...; empty keeps them in memory")
	key := flag.String("key", "", "API key allowed to read and write (required, unless -demo)")
	demo := flag.Bool("demo", false, "accept the public demo key "+DemoKey+" for reads and writes: for trying the server, never for real data")
	maxConns := flag.Int("db-max-conns", 0, "connections to the database at most (default 10); over PostgreSQL keep replicas x this below max_connections")
	readKey := flag.String("read-key", "", "API key allowed only to read (403 on PATCH)")
	defaultBurst := 10
	if api.Burst > 0 {
		defaultBurst = api.Burst
	}
	rate := flag.Float64("rate", api.Rate, "requests per second per API key; 0 for no limit (429 past it)")
	burst := flag.Int("burst", defaultBurst, "requests a key may make at once before -rate applies")
	tenantRate := flag.Float64("tenant-rate", 0, "requests per second of all a tenant's keys together; 0 for no limit")
	tenantBurst := flag.Int("tenant-burst", 50, "requests a tenant's keys may make at once before -tenant-rate applies")
	hook := flag.String("webhook", "", "URL to POST each change event to, signed (Standard Webhooks); empty delivers none")
	hookSecret := flag.String("webhook-secret", "", "the secret that signs webhooks: whsec_ and base64, as Standard Webhooks gives it (required with -webhook)")
	flag.Parse()

	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	keys, err := ReadKeys(*keysFile)
	if err != nil {
		logger.Error("not started", "err", err)
		os.Exit(2)
	}
	writeKey, err := chooseKey(*key, *demo, len(keys) > 0)
	if err != nil {
		logger.Error("not started", "err", err)
		os.Exit(2)
	}
	if writeKey == DemoKey {
		logger.Warn("accepting reads and writes with the public demo key (-demo): never for real data", "key", DemoKey)
	}
	cfg := Config{Keys: keys, WriteKey: writeKey, ReadKey: *readKey, Rate: *rate, Burst: *burst,
		TenantRate: *tenantRate, TenantBurst: *tenantBurst, Logger: logger, DB: &sqlstore.Options{MaxConns: *maxConns},
		WebhookURL: *hook, WebhookSecret: *hookSecret}
	if *hook != "" && *hookSecret == "" {
		logger.Error("not started", "err", "-webhook needs -webhook-secret")
		os.Exit(2)
	}
	if err := run(api, *addr, seedFiles, *dsn, sample, cfg); err != nil {
		logger.Error("server stopped", "err", err)
		os.Exit(1)
	}
}

// chooseKey is the default tenant's write key: -key, or the demo key
// under -demo, or none when -keys gives the keys. The demo key is public,
// so it is accepted only when asked for by name.
func chooseKey(key string, demo, keysFile bool) (string, error) {
	switch {
	case key == "" && demo:
		return DemoKey, nil
	case key == "" && keysFile:
		return "", nil
	case key == "":
		return "", fmt.Errorf("no -key: give the API key that may write, -keys a file of keys, or -demo to accept the public %s", DemoKey)
	case key == DemoKey && !demo:
		return "", fmt.Errorf("-key %s is the public demo key: pass -demo to accept it", DemoKey)
	}
	return key, nil
}

func run(api API, addr string, seedFiles map[string]string, dsn string, sample embed.FS, cfg Config) error {
	seeds, err := readSeeds(seedFiles, sample)
	if err != nil {
		return err
	}
	cfg.API = api
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var closeStore func()
	if cfg.Store, cfg.CustomFields, closeStore, err = OpenStore(ctx, dsn, cfg.DB, api.Profile, seeds); err != nil {
		return err
	}
	defer closeStore()
	h, err := New(cfg)
	if err != nil {
		return err
	}
	feedDone := FollowFeed(ctx, cfg)
	defer feedDone()
	srv := contacthttp.NewServer(addr, h, contacthttp.DefaultTimeouts())
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

// readSeeds reads each tenant's seed file, or the built-in sample for
// the default tenant when no -seed is given.
func readSeeds(files map[string]string, sample embed.FS) (Seeds, error) {
	if len(files) == 0 {
		data, err := fs.ReadFile(sample, "sample.json")
		return Seeds{cp.DefaultTenant: data}, err
	}
	seeds := Seeds{}
	for tenant, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		seeds[tenant] = data
	}
	return seeds, nil
}

// keyEntry is one key of a -keys file.
type keyEntry struct {
	Key    string   `json:"key"`
	ID     string   `json:"id"`
	Tenant string   `json:"tenant"`
	Scopes []string `json:"scopes"`
}

// ReadKeys reads a -keys file ("" for none): a JSON array of
// {"key", "tenant", "scopes", and optionally "id"}. Every entry needs a
// key, a tenant and at least one scope of "read" and "write".
func ReadKeys(file string) ([]contacthttp.APIKey, error) {
	if file == "" {
		return nil, nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var entries []keyEntry
	if err := json.Unmarshal(data, &entries); err != nil {
		return nil, fmt.Errorf("-keys %s: %w", file, err)
	}
	keys := make([]contacthttp.APIKey, len(entries))
	for i, e := range entries {
		if e.Key == "" || e.Tenant == "" || len(e.Scopes) == 0 {
			return nil, fmt.Errorf("-keys %s: key %d needs a key, a tenant and scopes", file, i)
		}
		keys[i] = contacthttp.APIKey{Secret: e.Key, ID: e.ID, Tenant: e.Tenant}
		for _, name := range e.Scopes {
			scope, err := contacthttp.ParseScope(name)
			if err != nil {
				return nil, fmt.Errorf("-keys %s: key %d: %w", file, i, err)
			}
			keys[i].Scopes |= scope
		}
	}
	return keys, nil
}
