package clienttest_test

// The reference servers, built and started on loopback by the tests
// themselves, and a transport that validates every answer a generated
// client gets against the server's OpenAPI 3.0.3 document.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// bin holds the servers TestMain builds.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "clienttest")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin = dir
	build := exec.Command("go", "build", "-o", dir+string(filepath.Separator),
		"./examples/leadlex", "./examples/gomry", "./examples/callaidan", "./examples/hubspot")
	build.Dir = ".."
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	code := 1
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "clienttest: building the servers:", err)
	} else {
		code = m.Run()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// server is one reference server started for a test, with its
// document.
type server struct {
	URL    string
	router routers.Router
}

// start runs the named server on a free loopback port with its sample
// contacts and the demo key, until the test ends.
func start(t *testing.T, name string) *server {
	t.Helper()
	port := freePort(t)
	cmd := exec.Command(filepath.Join(bin, name), "-demo", "-addr", "127.0.0.1:"+strconv.Itoa(port), "-rate", "0")
	var logs bytes.Buffer
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("%s's log:\n%s", name, logs.String())
		}
	})
	url := "http://127.0.0.1:" + strconv.Itoa(port)
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(url + "/openapi-3.0.json")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not start: %v\n%s", name, err, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	doc, err := openapi3.NewLoader().LoadFromFile(filepath.Join("..", "docs", "openapi", name+"-3.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background(), openapi3.DisableExamplesValidation()); err != nil { // the refused examples break the schemas on purpose
		t.Fatalf("%s's document: %v", name, err)
	}
	doc.Servers = openapi3.Servers{{URL: url}}
	router, err := legacy.NewRouter(doc, openapi3.DisableExamplesValidation())
	if err != nil {
		t.Fatal(err)
	}
	return &server{URL: url, router: router}
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// checked is a transport for a generated client that validates each
// answer against the document: a status it does not list, a header or
// a body its schema refuses, fails the test.
type checked struct {
	t *testing.T
	s *server
}

func (c checked) Do(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	route, params, err := c.s.router.FindRoute(req)
	if err != nil {
		c.t.Errorf("%s %s: no route in the document: %v", req.Method, req.URL.Path, err)
		return resp, nil
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true},
	}
	if err := openapi3filter.ValidateResponse(req.Context(), in); err != nil {
		c.t.Errorf("%s %s answered %d, which its document refuses: %v\nbody: %s", req.Method, req.URL.Path, resp.StatusCode, err, body)
	}
	return resp, nil
}

// bearer and header set the demo key as each server takes it.
func bearer(_ context.Context, r *http.Request) error {
	r.Header.Set("Authorization", "Bearer demo_key")
	return nil
}

func header(name string) func(context.Context, *http.Request) error {
	return func(_ context.Context, r *http.Request) error {
		r.Header.Set(name, "demo_key")
		return nil
	}
}
