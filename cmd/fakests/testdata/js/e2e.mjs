// Drive a running `fakests serve` with the AWS SDK for JavaScript v3, as a
// Node test suite would. Run by e2e_test.go (node e2e.mjs PREFIX), after
// `npm ci` in this folder. The endpoint comes from AWS_ENDPOINT_URL_IAM and
// AWS_ENDPOINT_URL_STS, the admin credentials from AWS_ACCESS_KEY_ID and
// AWS_SECRET_ACCESS_KEY, as a user would set them. Prints one JSON object:
// each step's name maps to {"ok": {...}} or {"error": {Code, Message,
// HTTPStatusCode}}.
import {
  IAMClient, CreateUserCommand, CreateAccessKeyCommand, CreatePolicyCommand, AttachUserPolicyCommand,
  CreateRoleCommand, GetUserCommand, DeleteUserCommand,
} from "@aws-sdk/client-iam";
import { STSClient, AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";

const region = "us-east-1";
const maxAttempts = 1;

async function outcome(fn) {
  try {
    return { ok: await fn() };
  } catch (e) {
    if (!e.$metadata) throw e;
    return { error: { Code: e.name, Message: e.message, HTTPStatusCode: e.$metadata.httpStatusCode } };
  }
}

const policy = (statement) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });

async function scenario(prefix) {
  const out = {};
  const iam = new IAMClient({ region, maxAttempts });
  const user = `${prefix}-dev`;
  const role = `${prefix}-deployer`;
  const roleArn = `arn:aws:iam::123456789012:role/${role}`;
  const userArn = `arn:aws:iam::123456789012:user/e2e/${user}`;
  out.CreateUser = await outcome(async () => ({ Arn: (await iam.send(new CreateUserCommand({ UserName: user, Path: "/e2e/" }))).User.Arn }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: user }))).AccessKey;
  out.CreateAccessKey = { ok: { UserName: key.UserName, Status: key.Status, AccessKeyIdPrefix: key.AccessKeyId.slice(0, 4), SecretLen: key.SecretAccessKey.length } };
  const pol = (await iam.send(new CreatePolicyCommand({
    PolicyName: `${prefix}-assume`,
    PolicyDocument: policy({ Effect: "Allow", Action: "sts:AssumeRole", Resource: roleArn }),
  }))).Policy;
  out.CreatePolicy = { ok: { Arn: pol.Arn, DefaultVersionId: pol.DefaultVersionId } };
  out.AttachUserPolicy = await outcome(async () => { await iam.send(new AttachUserPolicyCommand({ UserName: user, PolicyArn: pol.Arn })); return {}; });
  out.CreateRole = await outcome(async () => ({
    Arn: (await iam.send(new CreateRoleCommand({
      RoleName: role,
      AssumeRolePolicyDocument: policy({ Effect: "Allow", Principal: { AWS: userArn }, Action: "sts:AssumeRole" }),
    }))).Role.Arn,
  }));

  const dev = new STSClient({ region, maxAttempts, credentials: { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey } });
  out.GetCallerIdentityAsUser = await outcome(async () => ({ Arn: (await dev.send(new GetCallerIdentityCommand({}))).Arn }));
  const creds = (await dev.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "e2e" }))).Credentials;
  out.AssumeRole = { ok: { AccessKeyIdPrefix: creds.AccessKeyId.slice(0, 4) } };
  const session = new STSClient({
    region, maxAttempts,
    credentials: { accessKeyId: creds.AccessKeyId, secretAccessKey: creds.SecretAccessKey, sessionToken: creds.SessionToken },
  });
  out.GetCallerIdentityAsSession = await outcome(async () => ({ Arn: (await session.send(new GetCallerIdentityCommand({}))).Arn }));

  out.GetUserMissing = await outcome(() => iam.send(new GetUserCommand({ UserName: `${prefix}-nobody` })));
  out.CreateUserAgain = await outcome(() => iam.send(new CreateUserCommand({ UserName: user })));
  out.DeleteUserWithKeys = await outcome(() => iam.send(new DeleteUserCommand({ UserName: user })));
  out.CreatePolicyNotJSON = await outcome(() => iam.send(new CreatePolicyCommand({ PolicyName: `${prefix}-bad`, PolicyDocument: "{not json" })));
  out.AssumeRoleNotAllowed = await outcome(() => dev.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::123456789012:role/${prefix}-other`, RoleSessionName: "e2e" })));
  return out;
}

const out = await scenario(process.argv[2]);
process.stdout.write(JSON.stringify(out));
