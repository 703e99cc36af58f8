/**
 * Deploy, proven against a local AWS API (issue 15, item 6): moto_server stands in for Lambda, IAM, S3 and
 * CloudFormation on 127.0.0.1. The generated scripts/deploy.sh creates the function the first time and
 * updates it the second; the generated template.yaml, expanded by aws-sam-translator as `sam deploy` would,
 * creates the same function and its role as a CloudFormation stack. The code is a small zip made here:
 * deploying needs its bytes, not a NativeAOT build.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { after, before, describe, it } from 'node:test';
import yazl from 'yazl';
import { parse as parseYaml } from 'yaml';
import { renderProject, writeProject } from '../../src/render/render-project.js';
import { completeSettings } from '../../src/settings.js';
import { buildSpec, type ProjectSpec } from '../../src/spec.js';
import { tempDir } from '../helpers/fs.js';
import { hasTool } from '../helpers/validators.js';

const here = import.meta.dirname;

function missingTool(): string | undefined {
  for (const tool of ['moto_server', 'aws', 'python3', 'bash']) {
    if (!hasTool(tool))
      return `${tool} is not installed (pip install "moto[server]" awscli aws-sam-translator)`;
  }
  const sam = spawnSync('python3', ['-c', 'import samtranslator'], { encoding: 'utf8' });
  if (sam.status !== 0)
    return 'aws-sam-translator is not installed for python3 (pip install aws-sam-translator)';
  return undefined;
}
const skipReason = missingTool();

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await fetch(url);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`moto_server did not answer on ${url}: ${String(error)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** The function settings a deploy must reproduce, read from what the generator wrote (template.yaml). */
interface Expected {
  Runtime: string;
  Handler: string;
  Architectures: string[];
  MemorySize: number;
  Timeout: number;
}

function expectedFrom(spec: ProjectSpec, root: string): Expected {
  const template = parseYaml(readFileSync(join(root, 'template.yaml'), 'utf8'), {
    customTags: ['!Sub', '!GetAtt', '!Ref'].map((tag) => ({ tag, resolve: (value: string) => value })),
  }) as { Resources: { Function: { Properties: Record<string, unknown> } } };
  const props = template.Resources.Function.Properties;
  const expected = {
    Runtime: props.Runtime as string,
    Handler: props.Handler as string,
    Architectures: props.Architectures as string[],
    MemorySize: props.MemorySize as number,
    Timeout: props.Timeout as number,
  };
  // The template is the generator's word; check it says what the settings asked for before trusting it.
  assert.deepEqual(
    [expected.Runtime, expected.Handler, expected.Architectures],
    [spec.runtime.id, spec.handler, [spec.architecture.id]],
  );
  return expected;
}

/** A policy document's statements: IAM returns it as JSON, or as URL-encoded JSON text (so moto does). */
function statements(document: unknown): Array<Record<string, unknown>> {
  const parsed = (typeof document === 'string' ? JSON.parse(decodeURIComponent(document)) : document) as {
    Statement?: unknown;
  };
  return ([] as Array<Record<string, unknown>>).concat((parsed?.Statement ?? []) as Record<string, unknown>);
}

async function writeZip(path: string, payload: string): Promise<{ size: number; sha256: string }> {
  mkdirSync(join(path, '..'), { recursive: true });
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from(`#!/bin/sh\n# ${payload}\n`), 'bootstrap', { mode: 0o100755 });
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(path));
  const bytes = readFileSync(path);
  return { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('base64') };
}

describe('deploying a generated project to a local AWS API (moto_server)', { skip: skipReason }, () => {
  let moto: ChildProcess | undefined;
  let env: NodeJS.ProcessEnv;
  let dir: string;

  before(async () => {
    dir = tempDir('aot-lambda-deploy-');
    const port = await freePort();
    moto = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    const endpoint = `http://127.0.0.1:${port}`;
    // Only this process's own fake credentials and config: nothing of the user's AWS setup is read.
    env = { ...process.env };
    for (const key of Object.keys(env)) if (key.startsWith('AWS_')) delete env[key];
    Object.assign(env, {
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: endpoint,
      AWS_CONFIG_FILE: join(dir, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
      AWS_PAGER: '',
    });
    await waitForHttp(`${endpoint}/moto-api/`, 30_000);
  });

  after(() => {
    moto?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  function aws(...args: string[]): Record<string, unknown> {
    const run = spawnSync('aws', [...args, '--output', 'json'], { env, encoding: 'utf8' });
    assert.equal(run.status, 0, `aws ${args.join(' ')}: ${run.stderr}`);
    return run.stdout.trim() === '' ? {} : (JSON.parse(run.stdout) as Record<string, unknown>);
  }

  function project(name: string): { spec: ProjectSpec; root: string; expected: Expected } {
    const spec = buildSpec(
      completeSettings({ name, architecture: 'arm64', template: 'http-api', packaging: 'zip' }),
    );
    const root = join(dir, name);
    writeProject(root, renderProject(spec));
    return { spec, root, expected: expectedFrom(spec, root) };
  }

  function configuration(functionName: string): Record<string, unknown> {
    return aws('lambda', 'get-function-configuration', '--function-name', functionName);
  }

  const pick = (config: Record<string, unknown>) => ({
    Runtime: config.Runtime,
    Handler: config.Handler,
    Architectures: config.Architectures,
    MemorySize: config.MemorySize,
    Timeout: config.Timeout,
  });

  it('scripts/deploy.sh creates the function the first time and updates its code the second', async () => {
    const { spec, root, expected } = project('Contoso.Orders');
    const role = aws(
      'iam',
      'create-role',
      '--role-name',
      'orders-execution',
      '--assume-role-policy-document',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      }),
    ) as { Role: { Arn: string } };
    const deploy = (extra: NodeJS.ProcessEnv) =>
      spawnSync('bash', ['scripts/deploy.sh'], { cwd: root, env: { ...env, ...extra }, encoding: 'utf8' });

    const first = await writeZip(join(root, spec.artifacts.zip), 'first build');
    const created = deploy({ LAMBDA_ROLE_ARN: role.Role.Arn });
    assert.equal(created.status, 0, created.stderr);
    const config = configuration(spec.functionName);
    assert.deepEqual(pick(config), expected);
    assert.equal(config.CodeSize, first.size);
    assert.equal(config.CodeSha256, first.sha256);
    assert.equal(config.Role, role.Role.Arn);

    // The second run takes the update path: it needs no role, and must not make a second function.
    const second = await writeZip(join(root, spec.artifacts.zip), 'second build, other bytes');
    assert.notEqual(second.sha256, first.sha256);
    const updated = deploy({});
    assert.equal(updated.status, 0, updated.stderr);
    const after = configuration(spec.functionName);
    assert.deepEqual(pick(after), expected);
    assert.equal(after.CodeSize, second.size);
    assert.equal(after.CodeSha256, second.sha256);
    const functions = aws('lambda', 'list-functions') as { Functions: Array<{ FunctionName: string }> };
    assert.deepEqual(
      functions.Functions.map((f) => f.FunctionName).filter((n) => n === spec.functionName),
      [spec.functionName],
    );
  });

  it('template.yaml, expanded by aws-sam-translator, deploys as a stack with the same function and its role', async () => {
    const { spec, root, expected } = project('Contoso.Stacked');
    const zip = await writeZip(join(root, spec.artifacts.zip), 'stack build');
    aws('s3api', 'create-bucket', '--bucket', 'aot-lambda-code');
    aws(
      's3api',
      'put-object',
      '--bucket',
      'aot-lambda-code',
      '--key',
      'function.zip',
      '--body',
      join(root, spec.artifacts.zip),
    );
    const expanded = spawnSync(
      'python3',
      [join(here, 'sam_expand.py'), join(root, 'template.yaml'), 'aot-lambda-code', 'function.zip'],
      { env, encoding: 'utf8' },
    );
    assert.equal(expanded.status, 0, expanded.stderr);
    const cfn = JSON.parse(expanded.stdout) as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const fn = cfn.Resources.Function;
    assert.equal(fn?.Type, 'AWS::Lambda::Function', 'SAM expanded the function');
    assert.deepEqual(pick(fn.Properties), expected, 'what CloudFormation is asked to create');

    const stack = 'orders-stack';
    aws(
      'cloudformation',
      'create-stack',
      '--stack-name',
      stack,
      '--template-body',
      expanded.stdout,
      '--capabilities',
      'CAPABILITY_IAM',
    );
    aws('cloudformation', 'wait', 'stack-create-complete', '--stack-name', stack);
    const resources = (
      aws('cloudformation', 'describe-stack-resources', '--stack-name', stack) as {
        StackResources: Array<{
          LogicalResourceId: string;
          PhysicalResourceId: string;
          ResourceStatus: string;
        }>;
      }
    ).StackResources;
    const physical = (id: string) => {
      const found = resources.find((r) => r.LogicalResourceId === id);
      assert.ok(found, `no ${id} in the stack: ${resources.map((r) => r.LogicalResourceId).join(', ')}`);
      assert.equal(found.ResourceStatus, 'CREATE_COMPLETE');
      return found.PhysicalResourceId;
    };

    const config = configuration(physical('Function'));
    // moto 5's CloudFormation passes a function's Architectures on to Lambda no more than its LoggingConfig
    // (moto/awslambda/models.py, create_from_cloudformation_json: optional_properties), so the created
    // function is x86_64 whatever the template says; the expanded template above carries the right one.
    const { Architectures: _dropped, ...settings } = expected;
    assert.deepEqual(
      { ...pick(config), Architectures: undefined },
      { ...settings, Architectures: undefined },
      'the same settings deploy.sh gives the function',
    );
    assert.equal(config.CodeSha256, zip.sha256);

    const role = (
      aws('iam', 'get-role', '--role-name', physical('FunctionRole')) as { Role: Record<string, unknown> }
    ).Role;
    assert.equal(config.Role, role.Arn, 'the function runs as the stack role');
    assert.deepEqual(statements(role.AssumeRolePolicyDocument)[0]?.Principal, {
      Service: 'lambda.amazonaws.com',
    });
    const policies = aws('iam', 'list-role-policies', '--role-name', physical('FunctionRole'));
    assert.deepEqual(policies.PolicyNames, ['write-own-logs']);
    const policy = aws(
      'iam',
      'get-role-policy',
      '--role-name',
      physical('FunctionRole'),
      '--policy-name',
      'write-own-logs',
    );
    // moto keeps a policy made by CloudFormation as Python's repr of it, not JSON: read it as text.
    const text =
      typeof policy.PolicyDocument === 'string'
        ? policy.PolicyDocument
        : JSON.stringify(policy.PolicyDocument);
    for (const part of [
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      `log-group:${physical('FunctionLogGroup')}`,
    ]) {
      assert.ok(text.includes(part), `${part} not in the role's policy: ${text}`);
    }
    assert.ok(!/"\*"|'\*'/.test(text), 'no wildcard resource or action');
    assert.ok(physical('FunctionLogGroup').startsWith(`/aws/lambda/${stack}-`));
  });
});
