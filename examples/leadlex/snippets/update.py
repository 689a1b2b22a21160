import requests

API_KEY = "wbk_your_api_key_here"
BASE_URL = "https://data.leadlex.com/functions/v1/api-gateway"
CONTACT_ID = "123e4567-e89b-12d3-a456-426614174000"

headers = {
    "Authorization": f"Bearer {API_KEY}",
    "Content-Type": "application/json"
}

updates = {
    "job_title": "Chief Legal Officer",
    "notes": "Promoted to CLO in Q1 2026"
}

response = requests.patch(
    f"{BASE_URL}/v1/contacts/{CONTACT_ID}",
    headers=headers,
    json=updates
)

contact = response.json()["data"]
print(f"Updated contact: {contact['job_title']}")
