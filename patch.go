package contactpatch

// The Patch type itself is generated, with Contact, from the table of
// fields (field_gen.go).

// Decode reads a PATCH body under the profile's rules (R3, R4): the body
// must be one JSON object of valid UTF-8 with no duplicate keys and
// nothing after it; keys match the profile's names exactly; each value
// must have its field's JSON type. Unknown keys are rejected or recorded
// in Patch.Ignored, as the profile says.
//
// Every problem found is reported in one [*ValidationError]; broken syntax
// stops the scan, while a wrong type, a duplicate or an unknown key is
// recorded and the scan goes on. Decode checks shapes only: formats,
// lengths and read-only values are Apply's to check.
func (p *Profile) Decode(body []byte) (Patch, error) {
	if err := p.ready(); err != nil {
		return Patch{}, err
	}
	var patch Patch
	if errs, _ := p.decode(body, &patch); len(errs) > 0 {
		return Patch{}, &ValidationError{Fields: errs}
	}
	patch.printable = 0 // the caller may change the values
	return patch, nil
}
