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
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	cp "github.com/contactpatch/contactpatch"
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
	srv := NewHTTPServer(addr, New(cfg), DefaultTimeouts())
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	cfg.Logger.Info("serving", "api", api.Name, "addr", addr, "contacts", cfg.Store.IDs())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	cfg.Logger.Info("shut down")
	return nil
}

// Timeouts bound how long any client, with a key or without one, may
// hold a connection: a slow or silent client is cut off instead of
// tying up a file descriptor for ever.
type Timeouts struct {
	Header         time.Duration // to send the request line and headers
	Read           time.Duration // to send the whole request, body included
	Write          time.Duration // from the end of the headers to the end of the answer
	Idle           time.Duration // a kept-alive connection between requests
	MaxHeaderBytes int           // the request line and headers together
}

// DefaultTimeouts are the bounds the reference servers use: 5 s for the
// headers and 15 s for the whole request, which a 1 MiB body sent at
// 70 KB/s still meets; 20 s to answer; 60 s idle; 16 KiB of headers,
// far more than an API call carries.
func DefaultTimeouts() Timeouts {
	return Timeouts{Header: 5 * time.Second, Read: 15 * time.Second, Write: 20 * time.Second,
		Idle: 60 * time.Second, MaxHeaderBytes: 16 << 10}
}

// NewHTTPServer returns an http.Server for h on addr with the given
// bounds.
func NewHTTPServer(addr string, h http.Handler, t Timeouts) *http.Server {
	return &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: t.Header, ReadTimeout: t.Read,
		WriteTimeout: t.Write, IdleTimeout: t.Idle, MaxHeaderBytes: t.MaxHeaderBytes}
}

func readSeed(file string, sample embed.FS) ([]byte, error) {
	if file != "" {
		return os.ReadFile(file)
	}
	return fs.ReadFile(sample, "sample.json")
}
