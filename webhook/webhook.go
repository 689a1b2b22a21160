// Package webhook delivers a store's change feed (rule E2): a Deliverer
// follows a contactpatch.Feed from the cursor it keeps in the store and
// POSTs each event, signed as the Standard Webhooks convention signs
// (webhook-id, webhook-timestamp, webhook-signature), to one URL, in
// feed order, at least once: an event is retried with backoff until the
// receiver answers 2xx, and the cursor moves past it only then, so that
// a process killed at any point resumes where delivery stopped. The
// webhook-id is the event's id, the same on every attempt, for
// receivers to deduplicate.
package webhook

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	cp "github.com/contactpatch/contactpatch"
)

// Deliverer POSTs a feed's events to a URL. Set the fields, then call
// Run; the zero values of the optional fields are the defaults.
type Deliverer struct {
	Feed   cp.Feed
	URL    string
	Secret string // the signing secret, "whsec_" and base64, or raw bytes
	// Format makes each body; nil means CloudEvents{}.
	Format Format
	// Name names the cursor kept in the feed; "" means "webhook". Two
	// deliverers of one name share their progress.
	Name string
	// Client sends the requests; nil means a client with a 10 s
	// timeout.
	Client *http.Client
	// Poll is the wait for new events when the feed is drained; 0
	// means 200 ms.
	Poll time.Duration
	// MaxBackoff caps the wait between attempts, which starts at 100 ms
	// and doubles; 0 means 30 s.
	MaxBackoff time.Duration
	// Logger gets a line per failed attempt; nil logs nothing.
	Logger *slog.Logger
}

// Run delivers until ctx is done, and returns ctx's error, or the
// feed's when it cannot be read.
func (d *Deliverer) Run(ctx context.Context) error {
	name := d.name()
	cursor, err := d.Feed.Cursor(ctx, name)
	if err != nil {
		return err
	}
	for {
		evs, err := d.Feed.Events(ctx, cursor, 100)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			d.log("read the feed", err)
			evs = nil
		}
		if len(evs) == 0 {
			if err := sleep(ctx, d.poll()); err != nil {
				return err
			}
			continue
		}
		for _, ev := range evs {
			if err := d.deliver(ctx, ev); err != nil {
				return err
			}
			if err := d.Feed.SetCursor(ctx, name, ev.Seq); err != nil && ctx.Err() == nil {
				d.log("keep the cursor", err) // the event may be sent again: at least once
			}
			cursor = ev.Seq
		}
	}
}

// deliver sends ev until the receiver takes it or ctx is done.
func (d *Deliverer) deliver(ctx context.Context, ev cp.Event) error {
	wait := 100 * time.Millisecond
	for attempt := 0; ; attempt++ {
		err := d.send(ctx, ev, attempt)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		d.log(fmt.Sprintf("deliver event %d (attempt %d)", ev.Seq, attempt+1), err)
		if err := sleep(ctx, wait); err != nil {
			return err
		}
		wait = min(2*wait, d.maxBackoff())
	}
}

// send makes one attempt.
func (d *Deliverer) send(ctx context.Context, ev cp.Event, attempt int) error {
	format := d.Format
	if format == nil {
		format = CloudEvents{}
	}
	body, ct, err := format.Encode(ev, attempt)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", ct)
	SignHeader(req.Header, d.Secret, ev.ID, time.Now(), body)
	resp, err := d.client().Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("webhook: the receiver answered %s", resp.Status)
	}
	return nil
}

func (d *Deliverer) name() string {
	if d.Name == "" {
		return "webhook"
	}
	return d.Name
}

func (d *Deliverer) poll() time.Duration {
	if d.Poll <= 0 {
		return 200 * time.Millisecond
	}
	return d.Poll
}

func (d *Deliverer) maxBackoff() time.Duration {
	if d.MaxBackoff <= 0 {
		return 30 * time.Second
	}
	return d.MaxBackoff
}

func (d *Deliverer) client() *http.Client {
	if d.Client == nil {
		return &http.Client{Timeout: 10 * time.Second}
	}
	return d.Client
}

func (d *Deliverer) log(what string, err error) {
	if d.Logger != nil {
		d.Logger.Warn("webhook: could not "+what, "url", d.URL, "err", err)
	}
}

// sleep waits for d or ctx.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
