curl -X PATCH \
  -H "X-API-KEY: your_api_key" \
  -H "Content-Type: application/json" \
  -d '{"first_name": "Janet", "job_title": "CTO", "tags": ["vip", "speaker"]}' \
  "https://www.gomry.com/api/v1/contacts/AbCdEfGhIjKlMnOpQrSt"
