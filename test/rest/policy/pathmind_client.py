"""Calls Palestra's policy routes as a Pathmind policy-server user does, with
requests: the observation as the named fields of a schema.yaml, the key in the
access_token header. Prints what it saw as JSON for the jest test to check.

Usage: python3 pathmind_client.py BASE_URL API_KEY
"""
import json
import sys

import requests

base, key = sys.argv[1], sys.argv[2]
headers = {"access_token": key}
observation = {
    "cart_position": 0.02,
    "cart_velocity": -0.3,
    "pole_angle": 0.05,
    "pole_angular_velocity": 0.4,
}

seen = {}
schema = requests.get(base + "/schema", headers=headers)
schema.raise_for_status()
seen["fields"] = list(schema.json()["Observation"]["properties"].keys())

predict = requests.post(base + "/predict/", json=observation, headers=headers)
predict.raise_for_status()
seen["predict"] = predict.json()

deterministic = requests.post(base + "/predict_deterministic/", json=observation, headers=headers)
deterministic.raise_for_status()
seen["deterministic"] = deterministic.json()

distribution = requests.post(base + "/distribution/", json=observation, headers=headers)
distribution.raise_for_status()
seen["distribution"] = distribution.json()

raw = requests.post(base + "/predict_raw/", json={"obs": [observation[f] for f in seen["fields"]]}, headers=headers)
raw.raise_for_status()
seen["raw"] = raw.json()

missing = dict(observation)
del missing["pole_angle"]
invalid = requests.post(base + "/predict/", json=missing, headers=headers)
seen["invalid"] = {"status": invalid.status_code, "body": invalid.json()}

refused = requests.post(base + "/predict/", json=observation)
seen["refused"] = {"status": refused.status_code, "body": refused.json()}

print(json.dumps(seen))
