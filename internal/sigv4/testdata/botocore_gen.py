#!/usr/bin/env python3
"""Generate botocore-signed STS requests for the sigv4 verifier tests.

Run once from this directory:  python3 botocore_gen.py > botocore_requests.json
The output is committed; the Go test (botocore_test.go) only reads it. Credentials are the
AWS documentation examples, not real keys. The signing clock is pinned by replacing
botocore.auth.get_current_datetime.
"""
import datetime
import json
import sys
from unittest import mock

import botocore
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

AKID = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
TOKEN = "FwoGZXIvYXdzEXAMPLETOKEN//////////wEaDExampleSessionToken"
WHEN = datetime.datetime(2022, 1, 27, 0, 14, 27)
FORM = "application/x-www-form-urlencoded; charset=utf-8"  # what botocore's query serializer sends


def sign(name, method, url, body, headers, token=None, region="us-east-1", presign_expires=None):
    creds = Credentials(AKID, SECRET, token)
    req = AWSRequest(method=method, url=url, data=body, headers=dict(headers))
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=WHEN):
        if presign_expires is None:
            botocore.auth.SigV4Auth(creds, "sts", region).add_auth(req)
        else:
            botocore.auth.SigV4QueryAuth(creds, "sts", region, expires=presign_expires).add_auth(req)
    prepared = req.prepare()
    return {
        "name": name,
        "method": prepared.method,
        "url": prepared.url,
        "headers": [[k, v] for k, v in prepared.headers.items()],
        "body": prepared.body.decode() if isinstance(prepared.body, bytes) else (prepared.body or ""),
        "secret": SECRET,
        "signed_at": WHEN.strftime("%Y%m%dT%H%M%SZ"),
    }


def main():
    cases = [
        sign("header auth: GetCallerIdentity, regional endpoint", "POST",
             "https://sts.us-east-1.amazonaws.com/",
             "Action=GetCallerIdentity&Version=2011-06-15", {"Content-Type": FORM}),
        sign("header auth: AssumeRole with a session token and an encoded policy", "POST",
             "https://sts.us-east-1.amazonaws.com/",
             "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo"
             "&RoleSessionName=botocore%40example.com"
             "&Policy=%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D",
             {"Content-Type": FORM}, token=TOKEN),
        sign("header auth: global endpoint signed for us-east-1", "POST",
             "https://sts.amazonaws.com/",
             "Action=GetCallerIdentity&Version=2011-06-15", {"Content-Type": FORM}),
        sign("presigned: GetCallerIdentity with x-k8s-aws-id (aws eks get-token)", "GET",
             "https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15",
             None, {"x-k8s-aws-id": "my-cluster"}, presign_expires=60),
        sign("header auth: a // path (botocore signs it as /, as STS reads it)", "POST",
             "https://sts.us-east-1.amazonaws.com//",
             "Action=GetCallerIdentity&Version=2011-06-15", {"Content-Type": FORM}),
        sign("presigned: a /./a/../ path (botocore signs it as /)", "GET",
             "https://sts.us-east-1.amazonaws.com/./a/../?Action=GetCallerIdentity&Version=2011-06-15",
             None, {}, presign_expires=60),
        sign("presigned: GetCallerIdentity with a session token", "GET",
             "https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15",
             None, {}, token=TOKEN, presign_expires=900),
    ]
    json.dump({"botocore": botocore.__version__, "cases": cases}, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
