package wire

import (
	"strconv"
	"strings"
)

// path is the stack of positions from the document down to the value
// being read, one frame per open container. The first frames live in a
// fixed array, so that tracking them allocates nothing at the depths
// bodies have; only a pointer that is asked for is ever built.
type path struct {
	fixed [8]frame
	more  []frame
	n     int
}

// frame is the position inside one container: a key (index == isKey),
// whose string token is buf[start:end], an index, or neither between
// members (index == between). It holds offsets rather than the key, so
// that it holds no pointer: keeping it up to date costs no write barrier
// and gives the collector nothing to scan.
type frame struct {
	start, end int
	index      int
}

const (
	isKey   = -1
	between = -2
)

func (p *path) depth() int { return p.n }

func (p *path) top() *frame {
	if i := p.n - 1; i < len(p.fixed) {
		return &p.fixed[i]
	}
	return &p.more[p.n-1-len(p.fixed)]
}

func (p *path) push() {
	p.n++
	if p.n > len(p.fixed) && p.n-len(p.fixed) > len(p.more) {
		p.more = append(p.more, frame{})
	}
	p.top().index = between
}

func (p *path) pop() { p.n-- }

func (p *path) key(start, end int) { f := p.top(); f.start, f.end, f.index = start, end, isKey }

func (p *path) index(i int) { p.top().index = i }

func (p *path) clear() { p.top().index = between }

func (p *path) frame(i int) *frame {
	if i < len(p.fixed) {
		return &p.fixed[i]
	}
	return &p.more[i-len(p.fixed)]
}

// pointer renders the path as an RFC 6901 JSON Pointer, stopping at the
// first container that is between members; buf holds the key tokens.
func (p *path) pointer(buf []byte) string {
	var b []byte
	for i := 0; i < p.n; i++ {
		switch f := p.frame(i); f.index {
		case isKey:
			key := New(buf[f.start:f.end], Limits{})
			k, _ := key.String() // read once already: it is a valid token
			b = AppendPointerToken(append(b, '/'), string(k))
		case between:
			return string(b)
		default:
			b = strconv.AppendInt(append(b, '/'), int64(f.index), 10)
		}
	}
	return string(b)
}

// AppendPointerToken appends one reference token of a JSON Pointer,
// escaping "~" as "~0" and "/" as "~1" (RFC 6901 §3).
func AppendPointerToken(b []byte, token string) []byte {
	for i := 0; i < len(token); i++ {
		switch c := token[i]; c {
		case '~':
			b = append(b, '~', '0')
		case '/':
			b = append(b, '~', '1')
		default:
			b = append(b, c)
		}
	}
	return b
}

// Pointer builds a JSON Pointer from reference tokens, escaping each:
// Pointer("tags", "2") is "/tags/2", Pointer("a/b") is "/a~1b".
func Pointer(tokens ...string) string {
	n := 0
	for _, t := range tokens {
		n += 1 + len(t)
	}
	var b strings.Builder
	b.Grow(n + 2) // room for an escape or two without growing again
	for _, t := range tokens {
		b.WriteByte('/')
		for i := 0; i < len(t); i++ {
			switch c := t[i]; c {
			case '~':
				b.WriteString("~0")
			case '/':
				b.WriteString("~1")
			default:
				b.WriteByte(c)
			}
		}
	}
	return b.String()
}
