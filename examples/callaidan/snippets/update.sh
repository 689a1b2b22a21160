curl --request PATCH \
  --url https://api.callaidan.com/contacts/{contact_id}/ \
  --header 'Authorization: <api-key>' \
  --header 'Content-Type: application/json' \
  --data '
{
  "full_name": "<string>",
  "first_name": "<string>",
  "last_name": "<string>",
  "email": "<string>",
  "phone_number": "<string>",
  "business_name": "<string>",
  "notes": "<string>",
  "tags": [
    "<string>"
  ],
  "is_dnd": true,
  "lead_source": "<string>",
  "custom_fields": {}
}
'
