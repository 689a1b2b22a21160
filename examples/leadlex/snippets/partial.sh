# Update only the phone number
curl -X PATCH \
  https://data.leadlex.com/functions/v1/api-gateway/v1/contacts/123e4567 \
  -H "Authorization: Bearer wbk_your_api_key_here" \
  -H "Content-Type: application/json" \
  -d '{"phone": "+1-555-9999"}'
