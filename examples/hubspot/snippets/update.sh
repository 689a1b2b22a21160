curl --request PATCH \
  --url "https://api.hubapi.com/crm/v3/objects/contacts/101" \
  --header "Authorization: Bearer YOUR_ACCESS_TOKEN" \
  --header "Content-Type: application/json" \
  --data '{"properties": {"jobtitle": "VP of Sales", "lifecyclestage": "customer", "website": ""}}'
