package server

// The change feed of a running server (rules E2, E3): webhooks from the
// store's feed under -webhook, and the feed's retention.

import (
	"context"
	"sync"
	"time"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/webhook"
)

// EventRetention is how long a server keeps change events, and so a
// contact's property history: HubSpot-style integrations replay a few
// days at most.
const EventRetention = 30 * 24 * time.Hour

// FollowFeed delivers the store's events to cfg.WebhookURL and prunes
// the feed hourly, until ctx is done; the function it returns waits for
// both to stop.
func FollowFeed(ctx context.Context, cfg Config) func() {
	feed, ok := cfg.Store.(cp.Feed)
	if !ok {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	if cfg.WebhookURL != "" {
		format := cfg.API.Webhook
		if format == nil {
			format = webhook.CloudEvents{Source: "/" + cfg.API.Name}
		}
		d := &webhook.Deliverer{Feed: feed, URL: cfg.WebhookURL, Secret: cfg.WebhookSecret, Format: format, Logger: cfg.Logger}
		wg.Go(func() { d.Run(ctx) })
		cfg.Logger.Info("delivering change events", "url", cfg.WebhookURL)
	}
	wg.Go(func() { prune(ctx, feed, cfg) })
	return func() {
		cancel()
		wg.Wait()
	}
}

func prune(ctx context.Context, feed cp.Feed, cfg Config) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		if _, err := feed.PruneEvents(ctx, time.Now().Add(-EventRetention)); err != nil && ctx.Err() == nil {
			cfg.Logger.Warn("could not prune the change feed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
