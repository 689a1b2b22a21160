const CONTACT_ID = '123e4567-e89b-12d3-a456-426614174000';

const response = await fetch(
  `https://data.leadlex.com/functions/v1/api-gateway/v1/contacts/${CONTACT_ID}`,
  {
    method: 'PATCH',
    headers: {
      'Authorization': 'Bearer wbk_your_api_key_here',
      'Content-Type': 'application/json'
    },
    body: JSON.stringify({
      job_title: 'Chief Legal Officer',
      notes: 'Promoted to CLO in Q1 2026'
    })
  }
);

const { data } = await response.json();
console.log(`Updated: ${data.job_title}`);
