"""Drive a fakests Handler with boto3, as a Python user would.

Run by handler_python_test.go. Every input comes from FAKESTS_* environment
variables; the script prints one JSON object that maps a case name to
{"ok": <fields>} or {"error": <botocore's error dict plus HTTP facts>}.
Variable values (keys, secrets, tokens) are reduced to their shape so the Go
test can compare the whole object with cmp.Diff.
"""
import datetime
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
ENDPOINT = ENV["FAKESTS_ENDPOINT"]
# One attempt: a retried call would hide a wrong status and slow the suite.
NO_RETRY = {"total_max_attempts": 1}


def client(akid, secret, token=None, validate=True):
    cfg = botocore.config.Config(retries=NO_RETRY, parameter_validation=validate)
    return boto3.client(
        "sts",
        endpoint_url=ENDPOINT,
        region_name="us-east-1",
        aws_access_key_id=akid,
        aws_secret_access_key=secret,
        aws_session_token=token,
        config=cfg,
    )


def meta(resp):
    """The request ID as botocore read it from the body, and from the header."""
    md = resp["ResponseMetadata"]
    return {
        "HTTPStatusCode": md["HTTPStatusCode"],
        "RequestIdMatchesHeader": bool(md.get("RequestId"))
        and md.get("RequestId") == md["HTTPHeaders"].get("x-amzn-requestid"),
        "ContentType": md["HTTPHeaders"].get("content-type"),
    }


def creds_shape(c):
    return {
        "AccessKeyIdPrefix": c["AccessKeyId"][:4],
        "AccessKeyIdLen": len(c["AccessKeyId"]),
        "SecretLen": len(c["SecretAccessKey"]),
        "HasSessionToken": bool(c["SessionToken"]),
        "Expiration": c["Expiration"].astimezone(datetime.timezone.utc).isoformat(),
    }


def call(fn, shape):
    try:
        resp = fn()
    except botocore.exceptions.ClientError as e:
        md = e.response["ResponseMetadata"]
        err = dict(e.response["Error"])
        err["HTTPStatusCode"] = md["HTTPStatusCode"]
        err["RequestIdMatchesHeader"] = bool(md.get("RequestId")) and md.get("RequestId") == md[
            "HTTPHeaders"
        ].get("x-amzn-requestid")
        return {"error": err}
    out = shape(resp)
    out.update(meta(resp))
    return {"ok": out}


def main():
    user = client(ENV["FAKESTS_USER_AKID"], ENV["FAKESTS_USER_SECRET"])
    role_arn = ENV["FAKESTS_ROLE_ARN"]
    policy = ENV["FAKESTS_SESSION_POLICY"]
    out = {}
    issued = {}

    out["GetCallerIdentity"] = call(
        lambda: user.get_caller_identity(),
        lambda r: {k: r[k] for k in ("Arn", "UserId", "Account")},
    )

    def assume():
        r = user.assume_role(
            RoleArn=role_arn,
            RoleSessionName="py-session",
            DurationSeconds=900,
            Policy=policy,
            Tags=[{"Key": "Project", "Value": "blue"}, {"Key": "Team", "Value": "infra"}],
            TransitiveTagKeys=["Project"],
        )
        issued["role"] = r["Credentials"]
        return r

    out["AssumeRole"] = call(
        assume,
        lambda r: {
            "AssumedRoleUser": r["AssumedRoleUser"],
            "PackedPolicySize": r.get("PackedPolicySize"),
            "Credentials": creds_shape(r["Credentials"]),
        },
    )
    if "role" in issued:
        c = issued["role"]
        rs = client(c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])
        out["RoleSession.GetCallerIdentity"] = call(
            lambda: rs.get_caller_identity(),
            lambda r: {k: r[k] for k in ("Arn", "UserId", "Account")},
        )
        out["RoleSession.GetSessionToken"] = call(lambda: rs.get_session_token(), lambda r: {})

    def session_token():
        r = user.get_session_token(DurationSeconds=900)
        issued["session"] = r["Credentials"]
        return r

    out["GetSessionToken"] = call(session_token, lambda r: {"Credentials": creds_shape(r["Credentials"])})
    if "session" in issued:
        c = issued["session"]
        ss = client(c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])
        out["Session.GetCallerIdentity"] = call(
            lambda: ss.get_caller_identity(),
            lambda r: {k: r[k] for k in ("Arn", "UserId", "Account")},
        )

    out["GetFederationToken"] = call(
        lambda: user.get_federation_token(Name="py-fed", Policy=policy, DurationSeconds=900),
        lambda r: {
            "FederatedUser": r["FederatedUser"],
            "PackedPolicySize": r.get("PackedPolicySize"),
            "Credentials": creds_shape(r["Credentials"]),
        },
    )
    out["GetAccessKeyInfo"] = call(
        lambda: user.get_access_key_info(AccessKeyId=ENV["FAKESTS_FOREIGN_AKID"]),
        lambda r: {"Account": r["Account"]},
    )

    # Error cases.
    wrong = client(ENV["FAKESTS_USER_AKID"], ENV["FAKESTS_USER_SECRET"][::-1])
    out["WrongSecret"] = call(lambda: wrong.get_caller_identity(), lambda r: {})
    unknown = client("AKIAY34FZKBOKMUTVV7A", "x" * 40)
    out["UnknownKey"] = call(lambda: unknown.get_caller_identity(), lambda r: {})
    expired = client(ENV["FAKESTS_EXPIRED_AKID"], ENV["FAKESTS_EXPIRED_SECRET"], ENV["FAKESTS_EXPIRED_TOKEN"])
    out["ExpiredSession"] = call(lambda: expired.get_caller_identity(), lambda r: {})
    out["AssumeUnknownRole"] = call(
        lambda: user.assume_role(RoleArn=ENV["FAKESTS_UNKNOWN_ROLE_ARN"], RoleSessionName="py-session"),
        lambda r: {},
    )
    loose = client(ENV["FAKESTS_USER_AKID"], ENV["FAKESTS_USER_SECRET"], validate=False)
    out["ShortSessionName"] = call(
        lambda: loose.assume_role(RoleArn=role_arn, RoleSessionName="x"), lambda r: {}
    )
    json.dump(out, sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
