package bench

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"
	"testing"

	cp "github.com/contactpatch/contactpatch"
	"github.com/go-json-experiment/json/jsontext"
)

// worstBody is the decoder's worst case: a body just under the 1 MiB
// limit, made of objects of 256 keys (the key limit) under a key the
// profile ignores, so that every object is checked for repeated keys.
func worstBody() []byte {
	var b bytes.Buffer
	b.WriteString(`{"x":[`)
	obj := func() []byte {
		var o bytes.Buffer
		o.WriteByte('{')
		for k := range 256 {
			if k > 0 {
				o.WriteByte(',')
			}
			o.WriteString(`"key` + strconv.Itoa(k) + `":0`)
		}
		o.WriteByte('}')
		return o.Bytes()
	}()
	for n := 0; b.Len()+len(obj)+3 < 1<<20; n++ {
		if n > 0 {
			b.WriteByte(',')
		}
		b.Write(obj)
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

var ignoring = cp.MustProfile(cp.Schema{
	Name:        "ignoring",
	Fields:      []cp.FieldSpec{{Name: "job_title", Field: cp.FieldJobTitle}},
	UnknownKeys: cp.IgnoreUnknown,
})

// BenchmarkWorstCaseDecode is the strict decoder on the worst case.
func BenchmarkWorstCaseDecode(b *testing.B) {
	body := worstBody()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := ignoring.Decode(body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBaselineWorstCaseValid is encoding/json's json.Valid on the
// same body, which checks neither repeated keys nor UTF-8 as strictly.
func BenchmarkBaselineWorstCaseValid(b *testing.B) {
	body := worstBody()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if !json.Valid(body) {
			b.Fatal("invalid")
		}
	}
}

// BenchmarkBaselineWorstCaseStrict is an independent strict parser,
// go-json-experiment's jsontext, which refuses repeated keys and invalid
// UTF-8 too, reading every token of the same body.
func BenchmarkBaselineWorstCaseStrict(b *testing.B) {
	body := worstBody()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		dec := jsontext.NewDecoder(bytes.NewReader(body))
		for {
			if _, err := dec.ReadToken(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
	}
}
