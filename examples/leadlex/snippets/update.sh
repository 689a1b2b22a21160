curl -X PATCH \
  https://data.leadlex.com/functions/v1/api-gateway/v1/contacts/123e4567-e89b-12d3-a456-426614174000 \
  -H "Authorization: Bearer wbk_your_api_key_here" \
  -H "Content-Type: application/json" \
  -d '{
    "job_title": "Chief Legal Officer",
    "notes": "Promoted to CLO in Q1 2026"
  }'
