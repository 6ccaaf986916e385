"""Send recorded STS requests to a fakests Handler with botocore's own
client-side validation off, as LocalStack's AWS-validated
test_sts_invalid_parameters did. Run by conformance_recorded_test.go.

FAKESTS_CASES is a JSON list of [name, operation, params]; the script prints
one JSON object mapping each name to botocore's Error dict plus the HTTP
status, or to {"ok": true}.
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
client = boto3.client(
    "sts",
    endpoint_url=ENV["FAKESTS_ENDPOINT"],
    region_name="us-east-1",
    aws_access_key_id=ENV["FAKESTS_USER_AKID"],
    aws_secret_access_key=ENV["FAKESTS_USER_SECRET"],
    config=botocore.config.Config(retries={"total_max_attempts": 1}, parameter_validation=False),
)
out = {}
for name, op, params in json.loads(ENV["FAKESTS_CASES"]):
    try:
        getattr(client, op)(**params)
        out[name] = {"ok": True}
    except botocore.exceptions.ClientError as e:
        err = dict(e.response["Error"])
        err["HTTPStatusCode"] = e.response["ResponseMetadata"]["HTTPStatusCode"]
        out[name] = err
print(json.dumps(out))
