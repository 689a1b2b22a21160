module github.com/contactpatch/contactpatch/bench

go 1.26

require github.com/contactpatch/contactpatch v0.0.0

require github.com/go-json-experiment/json v1.27.2

require (
	github.com/evanphx/json-patch/v5 v5.9.11
	github.com/google/uuid v1.6.0 // indirect
	github.com/nyaruka/phonenumbers v1.8.1 // indirect
	golang.org/x/text v0.23.0 // indirect
	google.golang.org/protobuf v1.36.11 // indirect
)

replace github.com/contactpatch/contactpatch => ../
