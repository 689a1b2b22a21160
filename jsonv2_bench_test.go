//go:build goexperiment.jsonv2

package contactpatch_test

// Baselines from encoding/json/v2 (built with GOEXPERIMENT=jsonv2), on the
// struct of baseline (b): v2's strict decode, unknown members refused as
// the default profile refuses them (duplicate names and invalid UTF-8
// are refused by v2's defaults), and the same decode onto a copy of the
// stored contact's struct, which is the decode and the apply of a handler
// without field policies. Go builds encoding/json itself over v2 under
// this experiment, so bench/run.sh takes only these from such a build.

import (
	"encoding/json/v2"
	"testing"
)

var strictV2 = json.RejectUnknownMembers(true)

func BenchmarkBaselineJSONv2Decode(b *testing.B) {
	onBodies(b, []string{"default_8", "default_20"}, func(body []byte) error {
		var p pointerPatch
		return json.Unmarshal(body, &p, strictV2)
	})
}

func BenchmarkBaselineJSONv2DecodeApply(b *testing.B) {
	var stored pointerPatch
	if err := json.Unmarshal(benchFile(b, "stored"), &stored); err != nil {
		b.Fatal(err)
	}
	onBodies(b, []string{"default_8", "default_20"}, func(body []byte) error {
		p := stored
		return json.Unmarshal(body, &p, strictV2)
	})
}
