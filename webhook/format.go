package webhook

// The bodies of deliveries: CloudEvents 1.0 in its structured JSON
// mode, and HubSpot's documented webhook payload.

import (
	"encoding/json"
	"strconv"
	"time"

	cp "github.com/contactpatch/contactpatch"
)

// Format makes the body of one delivery of an event.
type Format interface {
	// Encode returns the body of the attempt-th delivery of ev (0 for
	// the first) and its media type.
	Encode(ev cp.Event, attempt int) (body []byte, contentType string, err error)
}

// CloudEvents delivers each event as one CloudEvents 1.0 event in the
// structured JSON mode: the change in data, the contact's id as subject.
type CloudEvents struct {
	// Source is the event's source attribute, a URI reference naming
	// the service; "" means "/contactpatch".
	Source string
}

type cloudEvent struct {
	SpecVersion     string    `json:"specversion"`
	ID              string    `json:"id"`
	Source          string    `json:"source"`
	Type            string    `json:"type"`
	Subject         string    `json:"subject"`
	Time            time.Time `json:"time"`
	DataContentType string    `json:"datacontenttype"`
	Data            eventData `json:"data"`
}

type eventData struct {
	Tenant    string           `json:"tenant"`
	ContactID string           `json:"contact_id"`
	Version   uint64           `json:"version"`
	Changes   []cp.FieldChange `json:"changes"`
	RequestID string           `json:"request_id,omitempty"`
	Principal string           `json:"principal,omitempty"`
}

// Encode writes ev as a CloudEvent; every attempt has the same body.
func (f CloudEvents) Encode(ev cp.Event, _ int) ([]byte, string, error) {
	source := f.Source
	if source == "" {
		source = "/contactpatch"
	}
	changes := ev.Changes
	if changes == nil {
		changes = []cp.FieldChange{}
	}
	body, err := json.Marshal(cloudEvent{SpecVersion: "1.0", ID: ev.ID, Source: source, Type: string(ev.Type), Subject: ev.ContactID,
		Time: ev.Time, DataContentType: "application/json",
		Data: eventData{Tenant: ev.Tenant, ContactID: ev.ContactID, Version: ev.Version, Changes: changes, RequestID: ev.RequestID, Principal: ev.Principal}})
	return body, "application/cloudevents+json", err
}

// HubSpot delivers each event as HubSpot's webhook payload: a JSON array
// with one item per changed property ("contact.propertyChange"), or one
// item for a creation, an archive ("contact.deletion") or an erasure
// ("contact.privacyDeletion").
type HubSpot struct {
	AppID, SubscriptionID int64
	// PortalID is the numeric account of a tenant; nil gives 0.
	PortalID func(tenant string) int64
}

type hubspotItem struct {
	EventID          int64   `json:"eventId"`
	SubscriptionID   int64   `json:"subscriptionId"`
	PortalID         int64   `json:"portalId"`
	AppID            int64   `json:"appId"`
	OccurredAt       int64   `json:"occurredAt"`
	SubscriptionType string  `json:"subscriptionType"`
	AttemptNumber    int     `json:"attemptNumber"`
	ObjectID         any     `json:"objectId"`
	PropertyName     string  `json:"propertyName,omitempty"`
	PropertyValue    *string `json:"propertyValue,omitempty"`
	ChangeFlag       string  `json:"changeFlag,omitempty"`
	ChangeSource     string  `json:"changeSource"`
	SourceID         string  `json:"sourceId,omitempty"`
}

// Encode writes ev's items; eventId is the event's place in the feed
// times a thousand plus the item's, the same on every attempt.
func (f HubSpot) Encode(ev cp.Event, attempt int) ([]byte, string, error) {
	base := hubspotItem{SubscriptionID: f.SubscriptionID, AppID: f.AppID, OccurredAt: ev.Time.UnixMilli(),
		AttemptNumber: attempt, ObjectID: objectID(ev.ContactID), ChangeSource: "API", SourceID: ev.Principal}
	if f.PortalID != nil {
		base.PortalID = f.PortalID(ev.Tenant)
	}
	var items []hubspotItem
	add := func(it hubspotItem) {
		it.EventID = int64(ev.Seq)*1000 + int64(len(items))
		items = append(items, it)
	}
	switch ev.Type {
	case cp.EventUpdated:
		for _, ch := range ev.Changes {
			it := base
			it.SubscriptionType, it.PropertyName = "contact.propertyChange", ch.Name
			v := ch.NewText()
			it.PropertyValue = &v
			add(it)
		}
	case cp.EventCreated:
		base.SubscriptionType, base.ChangeFlag = "contact.creation", "CREATED"
		add(base)
	case cp.EventArchived:
		base.SubscriptionType, base.ChangeFlag = "contact.deletion", "DELETED"
		add(base)
	case cp.EventDeleted:
		base.SubscriptionType = "contact.privacyDeletion"
		add(base)
	}
	if items == nil {
		items = []hubspotItem{}
	}
	body, err := json.Marshal(items)
	return body, "application/json", err
}

// objectID is an id as HubSpot sends it: a number when it is one.
func objectID(id string) any {
	if n, err := strconv.ParseInt(id, 10, 64); err == nil {
		return n
	}
	return id
}
