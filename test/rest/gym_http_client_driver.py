"""Drives the unmodified gym-http-api Python client against a running Palestra server.

Usage: python3 gym_http_client_driver.py BASE_URL ENV_ID...

`gym_http_client.py` (from openai/gym-http-api, not shipped with Palestra)
must be importable, e.g. with PYTHONPATH set to its folder. Prints one JSON
line describing what the client saw; exits non-zero on the first mismatch.
"""
import json
import sys

import gym_http_client


def check(condition, what):
    if not condition:
        raise AssertionError(what)


def expect_server_error(call, status, words):
    try:
        call()
    except gym_http_client.ServerError as e:
        check(e.status_code == status, "status {} for {!r}, expected {}".format(e.status_code, e.message, status))
        check(words in e.message, "{!r} should mention {!r}".format(e.message, words))
        return e.message
    raise AssertionError("expected a ServerError mentioning {!r}".format(words))


def episode(client, env_id):
    instance_id = client.env_create(env_id)
    check(len(instance_id) == 8 and int(instance_id, 16) >= 0, "instance id {!r}".format(instance_id))
    check(client.env_list_all().get(instance_id) == env_id, "listed as " + env_id)
    action_info = client.env_action_space_info(instance_id)
    obs_info = client.env_observation_space_info(instance_id)
    check(client.env_observation_space_contains(instance_id, {"name": obs_info["name"]}), "observation_space/contains name")

    client.env_monitor_start(instance_id, directory="tmp/" + env_id, force=True)
    observation = client.env_reset(instance_id)
    done, steps, total = False, 0, 0.0
    while not done and steps < 1000:
        action = client.env_action_space_sample(instance_id)
        check(client.env_action_space_contains(instance_id, action) is True, "sampled action is a member")
        observation, reward, done, info = client.env_step(instance_id, action)
        check(type(reward) == float, "reward is a float, got {!r}".format(reward))
        check(type(done) == bool, "done is a bool")
        check(type(info) == dict, "info is a dict")
        total += reward
        steps += 1
    check(done, "the episode ends")
    check("episode" in info and info["episode"]["l"] == steps, "the monitor adds info['episode'] at the end")
    client.env_monitor_close(instance_id)

    if obs_info["name"] == "Discrete":
        check(type(observation) == int, "a Discrete observation is an int")
    else:
        check(len(observation) == obs_info["shape"][0], "observation has the Box's shape")
        check(all(type(x) == float for x in observation), "Box observations are floats")
    if action_info["name"] == "Discrete":
        check(client.env_action_space_contains(instance_id, action_info["n"]) is False, "n is not a member")

    client.env_close(instance_id)
    check(instance_id not in client.env_list_all(), "closed instance is no longer listed")
    return {"env_id": env_id, "action_space": action_info, "observation_space": obs_info, "steps": steps, "return": total}


def main():
    base, env_ids = sys.argv[1], sys.argv[2:]
    client = gym_http_client.Client(base)
    results = [episode(client, env_id) for env_id in env_ids]
    errors = {
        "unknown_instance": expect_server_error(lambda: client.env_reset("bad_id"), 404, "Instance_id"),
        "malformed": expect_server_error(lambda: client.env_create("bad string"), 400, "malformed environment ID"),
        "upload": expect_server_error(lambda: client.upload(training_dir="tmp", api_key="key"), 400, "not supported"),
        "shutdown": expect_server_error(client.shutdown_server, 403, "--allow-shutdown"),
    }
    print(json.dumps({"episodes": results, "errors": errors}))


if __name__ == "__main__":
    main()
