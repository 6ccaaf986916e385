"""Meet faults injected into a fakests Handler with boto3.

Run by faults_test.go. The Go test injects a Throttling fault that fails
one GetCallerIdentity, an InternalFailure on every GetSessionToken and a
RegionDisabledException on every AssumeRole; this script calls each once
and prints one JSON object mapping a case name to {"ok": ...} or
{"error": <botocore's error dict plus HTTP facts>}, with the request IDs
botocore read, so the test can find them in the journal.
"""
import json
import os
import sys

try:
    import boto3
    import botocore.config
    import botocore.exceptions
except ImportError as e:  # the Go test skips (or fails in CI) on status 77
    print("cannot import boto3: %s" % e, file=sys.stderr)
    sys.exit(77)

ENV = os.environ


def client(retries):
    cfg = botocore.config.Config(retries=retries)
    return boto3.client(
        "sts",
        endpoint_url=ENV["FAKESTS_ENDPOINT"],
        region_name="us-east-1",
        aws_access_key_id=ENV["FAKESTS_AKID"],
        aws_secret_access_key=ENV["FAKESTS_SECRET"],
        config=cfg,
    )


def call(fn):
    try:
        resp = fn()
    except botocore.exceptions.ClientError as e:
        md = e.response["ResponseMetadata"]
        err = dict(e.response["Error"])
        err["HTTPStatusCode"] = md["HTTPStatusCode"]
        err["RequestId"] = md["RequestId"]
        err["RetryAttempts"] = md["RetryAttempts"]
        err["Class"] = type(e).__name__
        return {"error": err}
    md = resp["ResponseMetadata"]
    return {"ok": {"HTTPStatusCode": md["HTTPStatusCode"], "RequestId": md["RequestId"], "RetryAttempts": md["RetryAttempts"]}}


# Standard mode retries Throttling (a throttling code) after a short backoff.
retrying = client({"mode": "standard", "total_max_attempts": 3})
once = client({"total_max_attempts": 1})
out = {
    "GetCallerIdentity": call(lambda: retrying.get_caller_identity()),
    "GetSessionToken": call(lambda: once.get_session_token()),
    "AssumeRole": call(lambda: once.assume_role(RoleArn=ENV["FAKESTS_ROLE_ARN"], RoleSessionName="py")),
}
print(json.dumps(out))
