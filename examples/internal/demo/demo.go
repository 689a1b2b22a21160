// Package demo is the shared body of the example programs: read a PATCH
// body from standard input, apply it to a sample contact under a profile,
// and print what an API would answer.
package demo

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	cp "github.com/contactpatch/contactpatch"
)

// Main runs the demo on standard input and output and exits with status
// 1 when the patch is refused.
func Main(prof *cp.Profile, sample cp.Contact, opts cp.Options) {
	if err := Run(prof, sample, opts, os.Stdin, os.Stdout); err != nil {
		os.Exit(1)
	}
}

// Run applies the body read from in to sample and writes to out the HTTP
// status, then the response body (the rendered contact or the error
// envelope), then one "#" line per change and warning. It returns the
// error Apply returned, if any.
func Run(prof *cp.Profile, sample cp.Contact, opts cp.Options, in io.Reader, out io.Writer) error {
	body, err := io.ReadAll(in)
	if err != nil {
		return err
	}
	res, err := prof.ApplyJSON(sample, body, opts)
	if err != nil {
		fmt.Fprintln(out, cp.HTTPStatus(err))
		fmt.Fprintln(out, string(cp.ErrorJSON(err)))
		return err
	}
	rendered, err := prof.Render(res.Contact)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, 200)
	fmt.Fprintln(out, string(rendered))
	for _, ch := range res.Changes() {
		old, _ := json.Marshal(ch.Old)
		now, _ := json.Marshal(ch.New)
		fmt.Fprintf(out, "# changed %s: %s -> %s\n", ch.Name, old, now)
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(out, "# warning %s: %s (%s)\n", w.Field, w.Message, w.Code)
	}
	return nil
}
