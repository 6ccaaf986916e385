"""Presign GetCallerIdentity with botocore and GET the URL, as Vault's and
EKS's Python clients do.

Run by handler_presign_test.go with FAKESTS_* environment variables; prints a
JSON list of {"Case", "Status", "Body"}, one per URL fetched.
"""
import json
import os
import sys
import urllib.error
import urllib.request

try:
    import boto3
except ImportError as e:  # the Go test skips (or fails in CI) on status 77
    print("cannot import boto3: %s" % e, file=sys.stderr)
    sys.exit(77)

ENV = os.environ


def get(url, body=None):
    """GET url, or POST body to it when body is not None."""
    req = urllib.request.Request(url, data=body, method="GET" if body is None else "POST")
    if body:
        req.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8")


def main():
    sts = boto3.client(
        "sts",
        endpoint_url=ENV["FAKESTS_ENDPOINT"],
        region_name="us-east-1",
        aws_access_key_id=ENV["FAKESTS_AKID"],
        aws_secret_access_key=ENV["FAKESTS_SECRET"],
        aws_session_token=ENV.get("FAKESTS_TOKEN") or None,
    )
    # botocore signs a query-protocol call as POST unless told otherwise, so
    # its default URL fails when fetched with GET, against real STS too
    # (boto/boto3#756); HttpMethod="GET" makes a URL that GET can use.
    url = sts.generate_presigned_url("get_caller_identity", ExpiresIn=60, HttpMethod="GET")
    post_signed = sts.generate_presigned_url("get_caller_identity", ExpiresIn=60)
    head, sig = url.split("X-Amz-Signature=", 1)
    flipped = ("0" if sig[0] != "0" else "1") + sig[1:]
    out = []
    cases = (
        ("get", url),
        ("get, signature altered", head + "X-Amz-Signature=" + flipped),
        ("default (signed as POST), fetched with GET", post_signed),
    )
    for case, u in cases:
        status, body = get(u)
        out.append({"Case": case, "Status": status, "Body": body})
    # botocore signs the empty body's hash, not UNSIGNED-PAYLOAD: the URL
    # serves a POST with an empty body, and no other body.
    posts = (
        ("default (signed as POST), POSTed with an empty body", b""),
        ("default (signed as POST), POSTed with AssumeRole in the body",
         b"Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fx&RoleSessionName=stolen"),
    )
    for case, data in posts:
        status, body = get(post_signed, data)
        out.append({"Case": case, "Status": status, "Body": body})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
