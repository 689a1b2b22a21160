module github.com/contactpatch/contactpatch

go 1.24

require (
	github.com/google/uuid v1.6.0
	github.com/nyaruka/phonenumbers v1.8.1
)

require (
	golang.org/x/text v0.23.0 // indirect
	google.golang.org/protobuf v1.36.11 // indirect
)
