"""The GRPO training API documentation's usage examples, sent with `requests` to a Palestra server.

Usage: python3 grpo_api_examples.py BASE_URL

The requests are the documentation's own (the same routes and the same JSON bodies: its Python
client and cURL examples, and the request body it gives for POST /train); only the server's
address differs. Exits 0 when every reply has the shape that documentation describes.
"""
import sys
import time

import requests

BASE = sys.argv[1].rstrip("/")
POLLS = 900  # bounded: at most this many status checks per job


def expect(condition, what, reply=None):
    if not condition:
        shown = "" if reply is None else f": {reply.status_code} {reply.text[:500]}"
        print(f"FAILED: {what}{shown}", file=sys.stderr)
        sys.exit(1)


def wait_for(job_id):
    for _ in range(POLLS):
        status = requests.get(f"{BASE}/training/{job_id}/status")
        expect(status.status_code == 200, "status of a job", status)
        if status.json()["status"] != "running":
            return status.json()
        time.sleep(0.2)
    expect(False, f"job {job_id} still running after {POLLS} polls")


# The Python client example: start training, check its status, predict.
response = requests.post(f"{BASE}/train", json={
    "env_name": "CartPole-v1",
    "total_timesteps": 5000,
    "model_name": "test_model",
})
expect(response.status_code == 200, "POST /train", response)
job_id = response.json()["job_id"]
expect(response.json()["message"] == "Training started", "the start message", response)
expect(isinstance(response.json()["config"], dict), "the config echoed", response)

status = requests.get(f"{BASE}/training/{job_id}/status")
expect(status.status_code == 200, "GET /training/{job_id}/status", status)
fields = {"job_id", "status", "progress", "current_timesteps", "total_timesteps", "start_time",
          "end_time", "error_message", "metrics"}
expect(fields <= set(status.json()), "every status field", status)
expect(status.json()["status"] in ("running", "completed"), "a status the API names", status)

final = wait_for(job_id)
expect(final["status"] == "completed", f"the job completed ({final})")
expect(final["progress"] == 1.0 and final["current_timesteps"] >= 5000, f"a finished job's progress ({final})")

prediction = requests.post(f"{BASE}/inference", json={
    "model_name": "test_model",
    "observation": [0.1, 0.0, 0.05, 0.0],
})
expect(prediction.status_code == 200, "POST /inference", prediction)
answer = prediction.json()
expect(answer["action"] in (0, 1), "a CartPole action", prediction)
expect(len(answer["action_probs"]) == 2 and abs(sum(answer["action_probs"]) - 1) < 1e-6, "action probabilities", prediction)
# GRPO learns no value function, so the documented `value` field is there and null.
expect("value" in answer and answer["value"] is None, "no state value from a GRPO policy", prediction)

# The documented request body of POST /train, then stopping that job.
response = requests.post(f"{BASE}/train", json={
    "env_name": "CartPole-v1",
    "total_timesteps": 10000,
    "learning_rate": 0.0003,
    "n_steps": 32,
    "batch_size": 64,
    "n_epochs": 10,
    "reward_function_type": "optimized_cartpole",
    "model_name": "my_model",
})
expect(response.status_code == 200, "POST /train with every field", response)
second = response.json()["job_id"]

jobs = requests.get(f"{BASE}/training/jobs")
expect(jobs.status_code == 200, "GET /training/jobs", jobs)
listed = {job["job_id"]: job for job in jobs.json()["jobs"]}
expect(job_id in listed and second in listed, "both jobs listed", jobs)
expect(listed[job_id]["status"] == "completed" and listed[job_id]["progress"] == 1.0, "a listed job's status and progress", jobs)

stopped = requests.post(f"{BASE}/training/{second}/stop")
expect(stopped.status_code == 200, "POST /training/{job_id}/stop", stopped)
expect(stopped.json()["message"] == "Training job stopped" and stopped.json()["job_id"] == second, "the stop reply", stopped)
expect(wait_for(second)["status"] in ("stopped", "completed"), "the job ended after stop")

# The inference request body example, on the stopped job's model.
prediction = requests.post(f"{BASE}/inference", json={
    "model_name": "my_model",
    "observation": [0.1, 0.0, 0.05, 0.0],
    "deterministic": True,
})
expect(prediction.status_code == 200 and prediction.json()["action"] in (0, 1), "inference on the stopped job's model", prediction)

# The cURL examples: health and the model list.
health = requests.get(f"{BASE}/health")
expect(health.status_code == 200, "GET /health", health)
expect(health.json()["status"] == "healthy", "status healthy", health)
expect(isinstance(health.json()["active_jobs"], int) and health.json()["loaded_models"] >= 2, "jobs and loaded models counted", health)
expect(isinstance(health.json()["timestamp"], str), "a timestamp", health)

models = requests.get(f"{BASE}/models")
expect(models.status_code == 200, "GET /models", models)
by_name = {model["name"]: model["status"] for model in models.json()["models"]}
expect(by_name.get("test_model") == "loaded" and by_name.get("my_model") == "loaded", "both models, loaded", models)

root = requests.get(f"{BASE}/")
expect(root.status_code == 200 and "endpoints" in root.json(), "GET / lists the endpoints", root)

# Deleting a model, and the documented error replies.
deleted = requests.delete(f"{BASE}/models/test_model")
expect(deleted.status_code == 200, "DELETE /models/{model_name}", deleted)
gone = requests.post(f"{BASE}/inference", json={"model_name": "test_model", "observation": [0.1, 0.0, 0.05, 0.0]})
expect(gone.status_code == 404 and isinstance(gone.json()["detail"], str), "404 with detail for a deleted model", gone)
unknown = requests.get(f"{BASE}/training/not-a-job/status")
expect(unknown.status_code == 404 and isinstance(unknown.json()["detail"], str), "404 with detail for an unknown job", unknown)
invalid = requests.post(f"{BASE}/train", json={"total_timesteps": "many"})
expect(invalid.status_code == 422 and invalid.json()["detail"][0]["loc"] == ["body", "total_timesteps"], "422 naming the field", invalid)

print("ok")
