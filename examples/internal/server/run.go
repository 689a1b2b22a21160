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
	"syscall"
	"time"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/contacthttp"
)

// DemoKey is the write key a server accepts when -key is not given.
const DemoKey = "demo_key"

// Seed is the format of a seed file: the contacts as the API's GET
// returns them (envelope included), and the company's custom-field names.
type Seed struct {
	CustomFields []string          `json:"custom_fields"`
	Contacts     []json.RawMessage `json:"contacts"`
}

// LoadSeed reads a seed file into a new store.
func LoadSeed(prof *cp.Profile, data []byte) (*cp.MemoryStore, []string, error) {
	var seed Seed
	if err := json.Unmarshal(data, &seed); err != nil {
		return nil, nil, fmt.Errorf("seed: %w", err)
	}
	var store cp.MemoryStore
	for i, raw := range seed.Contacts {
		c, err := prof.ParseContact(raw)
		if err != nil {
			return nil, nil, fmt.Errorf("seed: contact %d: %w", i, err)
		}
		if c.ID == "" {
			return nil, nil, fmt.Errorf("seed: contact %d has no id", i)
		}
		store.Put(c)
	}
	return &store, seed.CustomFields, nil
}

// Main parses the common flags, loads the seed (the embedded sample.json
// unless -seed names a file), and serves api until SIGINT or SIGTERM.
func Main(api API, sample embed.FS) {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	seedFile := flag.String("seed", "", "seed file of contacts in the API's format (default: the built-in sample)")
	key := flag.String("key", DemoKey, "API key allowed to read and write")
	readKey := flag.String("read-key", "", "API key allowed only to read (403 on PATCH)")
	rate := flag.Float64("rate", 0, "requests per second per API key; 0 for no limit (429 past it)")
	burst := flag.Int("burst", 10, "requests a key may make at once before -rate applies")
	flag.Parse()

	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(api, *addr, *seedFile, sample, Config{WriteKey: *key, ReadKey: *readKey, Rate: *rate, Burst: *burst, Logger: logger}); err != nil {
		logger.Error("server stopped", "err", err)
		os.Exit(1)
	}
}

func run(api API, addr, seedFile string, sample embed.FS, cfg Config) error {
	data, err := readSeed(seedFile, sample)
	if err != nil {
		return err
	}
	cfg.API = api
	if cfg.Store, cfg.CustomFields, err = LoadSeed(api.Profile, data); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv := contacthttp.NewServer(addr, New(cfg), contacthttp.DefaultTimeouts())
	cfg.Logger.Info("serving", "api", api.Name, "addr", addr, "contacts", cfg.Store.IDs())
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
