// Package contacthttp holds the HTTP edges of a contact API built on
// contactpatch, so that every service that embeds the library gets them
// right without copying a reference server: the bounds that keep slow,
// silent and flooding clients from holding connections (NewServer,
// DefaultTimeouts), the checks of a PATCH body's headers (CheckBody), the
// Bearer scheme (BearerKey), and the client address that failed
// authentications are counted against (ClientAddr).
//
// Render every error these return with contactpatch.HTTPStatus and
// contactpatch.ErrorJSON, like the library's own.
package contacthttp
