"""Drive a running `fakests serve` with boto3, as a Python test suite would.

Run by e2e_test.go:

    e2e_boto3.py scenario PREFIX      set up and use identities (see below)
    e2e_boto3.py identity AK SK [TOKEN]
    e2e_boto3.py create-user NAME     CreateUser, printed once acknowledged
    e2e_boto3.py get-user NAME

The endpoint is AWS_ENDPOINT_URL (botocore's own variable), the admin
credentials AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, as a user would set
them. The script prints one JSON object: each step's name maps to
{"ok": {...}} or {"error": {"Code", "Message", "HTTPStatusCode"}}.
"""
import json
import sys

try:
    import boto3
    import botocore.config
    import botocore.exceptions
except ImportError as e:  # the Go test skips (or fails in CI) on status 77
    print("cannot import boto3: %s" % e, file=sys.stderr)
    sys.exit(77)

CFG = botocore.config.Config(retries={"total_max_attempts": 1}, region_name="us-east-1")


def sts(ak=None, sk=None, token=None):
    if ak is None:
        return boto3.client("sts", config=CFG)
    return boto3.client("sts", config=CFG, aws_access_key_id=ak, aws_secret_access_key=sk, aws_session_token=token)


def iam():
    return boto3.client("iam", config=CFG)


def outcome(fn):
    try:
        return {"ok": fn()}
    except botocore.exceptions.ClientError as e:
        err = e.response["Error"]
        return {"error": {"Code": err.get("Code"), "Message": err.get("Message"),
                          "HTTPStatusCode": e.response["ResponseMetadata"]["HTTPStatusCode"]}}


def policy(statement):
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def scenario(prefix):
    out = {}
    i = iam()
    user = prefix + "-dev"
    role = prefix + "-deployer"
    out["CreateUser"] = outcome(lambda: {"Arn": i.create_user(UserName=user, Path="/e2e/")["User"]["Arn"]})
    key = i.create_access_key(UserName=user)["AccessKey"]
    out["CreateAccessKey"] = {"ok": {"UserName": key["UserName"], "Status": key["Status"],
                                     "AccessKeyIdPrefix": key["AccessKeyId"][:4], "SecretLen": len(key["SecretAccessKey"])}}
    role_arn = "arn:aws:iam::123456789012:role/" + role
    pol = i.create_policy(PolicyName=prefix + "-assume",
                          PolicyDocument=policy({"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role_arn}))["Policy"]
    out["CreatePolicy"] = {"ok": {"Arn": pol["Arn"], "DefaultVersionId": pol["DefaultVersionId"]}}
    out["AttachUserPolicy"] = outcome(lambda: i.attach_user_policy(UserName=user, PolicyArn=pol["Arn"]) and {})
    user_arn = "arn:aws:iam::123456789012:user/e2e/" + user
    out["CreateRole"] = outcome(lambda: {"Arn": i.create_role(
        RoleName=role, AssumeRolePolicyDocument=policy({"Effect": "Allow", "Principal": {"AWS": user_arn}, "Action": "sts:AssumeRole"}))["Role"]["Arn"]})
    out["GetRoleTrustPolicy"] = outcome(lambda: {"AssumeRolePolicyDocument": i.get_role(RoleName=role)["Role"]["AssumeRolePolicyDocument"]})

    dev = sts(key["AccessKeyId"], key["SecretAccessKey"])
    out["GetCallerIdentityAsUser"] = outcome(lambda: {"Arn": dev.get_caller_identity()["Arn"]})
    creds = dev.assume_role(RoleArn=role_arn, RoleSessionName="e2e")["Credentials"]
    out["AssumeRole"] = {"ok": {"AccessKeyIdPrefix": creds["AccessKeyId"][:4]}}
    session = sts(creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
    out["GetCallerIdentityAsSession"] = outcome(lambda: {"Arn": session.get_caller_identity()["Arn"]})

    # IAM's errors, as botocore parses them.
    out["GetUserMissing"] = outcome(lambda: i.get_user(UserName=prefix + "-nobody"))
    out["CreateUserAgain"] = outcome(lambda: i.create_user(UserName=user))
    out["DeleteUserWithKeys"] = outcome(lambda: i.delete_user(UserName=user))
    out["CreatePolicyNotJSON"] = outcome(lambda: i.create_policy(PolicyName=prefix + "-bad", PolicyDocument="{not json"))
    out["DeleteRoleMissing"] = outcome(lambda: i.delete_role(RoleName=prefix + "-norole"))
    out["AssumeRoleNotAllowed"] = outcome(lambda: dev.assume_role(RoleArn="arn:aws:iam::123456789012:role/" + prefix + "-other", RoleSessionName="e2e"))
    # The keys and session, for the restart test.
    out["keys"] = {"user": [key["AccessKeyId"], key["SecretAccessKey"]],
                   "session": [creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"]]}
    return out


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "scenario":
        out = scenario(args[0])
    elif cmd == "identity":
        c = sts(args[0], args[1], args[2] if len(args) > 2 else None)
        out = {"GetCallerIdentity": outcome(lambda: {"Arn": c.get_caller_identity()["Arn"]})}
    elif cmd == "create-user":
        out = {"CreateUser": outcome(lambda: {"Arn": iam().create_user(UserName=args[0])["User"]["Arn"]})}
    elif cmd == "get-user":
        out = {"GetUser": outcome(lambda: {"Arn": iam().get_user(UserName=args[0])["User"]["Arn"]})}
    else:
        sys.exit("unknown command " + cmd)
    json.dump(out, sys.stdout, sort_keys=True)


if __name__ == "__main__":
    main()
