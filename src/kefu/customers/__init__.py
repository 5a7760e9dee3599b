"""The people a tenant serves: policyholders, insured persons, beneficiaries and their agents;
owners and residents. Surveys invite them; complaints link to them."""
