"""Drive a fakests Handler's MFA with boto3 (run by state_test.go).

GetSessionToken with FAKESTS_MFA_CODE twice: the first call gets a session,
the second is refused as a reused code. Prints one JSON object mapping each
call to {"ok": true} or {"error": {Code, Message, HTTPStatusCode}} as
botocore parsed it, so the Go test sees the message exactly, trailing space
included.
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
sts = boto3.client(
    "sts",
    endpoint_url=ENV["FAKESTS_ENDPOINT"],
    region_name="us-east-1",
    aws_access_key_id=ENV["FAKESTS_USER_AKID"],
    aws_secret_access_key=ENV["FAKESTS_USER_SECRET"],
    config=botocore.config.Config(retries={"total_max_attempts": 1}),
)

out = {}
for case in ("First", "Reused"):
    try:
        sts.get_session_token(SerialNumber=ENV["FAKESTS_MFA_SERIAL"], TokenCode=ENV["FAKESTS_MFA_CODE"])
        out[case] = {"ok": True}
    except botocore.exceptions.ClientError as e:
        err = e.response["Error"]
        out[case] = {"error": {"Code": err["Code"], "Message": err["Message"],
                               "HTTPStatusCode": e.response["ResponseMetadata"]["HTTPStatusCode"]}}
print(json.dumps(out))
