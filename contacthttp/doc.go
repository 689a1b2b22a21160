// Package contacthttp is the HTTP side of a contact API built on
// contactpatch, so that every service that embeds the library gets it
// right without copying a reference server.
//
// [Handler] serves PATCH and GET of one contact for a Profile over a
// Store on a ServeMux pattern: the body's media type and size (415, 413),
// authentication through a hook ([KeyAuth] for API keys, with per-key
// rates and limits on failed attempts), If-Match and ETags (412, 304),
// the profile's rendering, and every error, the mux's own 404 and 405
// included, in the profile's error view, with a request id and one
// log/slog line per request.
//
// Around it: the bounds that keep slow, silent and flooding clients from
// holding connections ([NewServer], [DefaultTimeouts]), a graceful
// [Serve], and the pieces a handler of one's own needs: the checks of a
// PATCH body's headers ([CheckBody]), the Bearer scheme ([BearerKey]),
// the client address failed authentications are counted against
// ([ClientAddr]), and the joined lines of a list header ([JoinedHeader]).
package contacthttp
