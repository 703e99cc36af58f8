import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';
import { convert } from '../../src/convert/index.js';
import { decodeText, encodeText, readText } from '../../src/convert/text-file.js';
import { packageRoot } from '../../src/paths.js';
import { copyFixture, refused, runCli, tempDir } from './helpers.js';

/**
 * Issue 17, items 3, 4 and convert's part of 11: files convert must not touch (read-only, not plain files), text it
 * cannot write back unharmed (not UTF-8, binary), and inputs that used to give raw or unrelated errors.
 */
const fn = 'src/EmptyFunction';
const at = (dir: string, file: string): string => join(dir, fn, file);
const modeOf = (path: string): number => lstatSync(path).mode & 0o777;

describe('convert: read-only and non-plain files are refused by name before anything is written (17.3)', () => {
  it('a csproj with mode 444 (even for root, which could write it)', async () => {
    const dir = copyFixture('empty-function');
    chmodSync(at(dir, 'EmptyFunction.csproj'), 0o444);
    await refused(
      [join(dir, fn)],
      dir,
      /EmptyFunction\.csproj \(mode 444\) is read-only, and convert would have to change it\. If it may be converted, make it writable \(chmod u\+w\).*Nothing was written\./,
    );
    assert.equal(modeOf(at(dir, 'EmptyFunction.csproj')), 0o444);
  });

  it('a read-only Function.cs and aws-lambda-tools-defaults.json: both named', async () => {
    const dir = copyFixture('empty-function');
    chmodSync(at(dir, 'Function.cs'), 0o400);
    chmodSync(at(dir, 'aws-lambda-tools-defaults.json'), 0o444);
    await refused(
      [join(dir, fn)],
      dir,
      /Function\.cs \(mode 400\), .*aws-lambda-tools-defaults\.json \(mode 444\) are read-only/,
    );
  });

  it('a read-only project folder (new files would be created in it)', async () => {
    const dir = copyFixture('empty-function');
    chmodSync(join(dir, fn), 0o555);
    try {
      await refused([join(dir, fn)], dir, /src\/EmptyFunction\/ \(mode 555\) is read-only/);
    } finally {
      chmodSync(join(dir, fn), 0o755);
    }
  });

  it('a Function.cs that is a symbolic link (renaming over it would replace the link)', async () => {
    const dir = copyFixture('empty-function');
    const outside = join(dir, 'elsewhere.cs');
    writeFileSync(outside, readFileSync(at(dir, 'Function.cs')));
    rmSync(at(dir, 'Function.cs'));
    symlinkSync(outside, at(dir, 'Function.cs'));
    await refused([join(dir, fn)], dir, /Function\.cs is a symbolic link, where it writes a plain file/);
    assert.ok(lstatSync(at(dir, 'Function.cs')).isSymbolicLink());
  });

  it('a folder or a named pipe where convert reads a file: no raw EISDIR, no read that never ends', async () => {
    const dir = copyFixture('empty-function');
    const tools = at(dir, 'aws-lambda-tools-defaults.json');
    rmSync(tools);
    mkdirSync(tools);
    await refused(
      [join(dir, fn)],
      dir,
      /aws-lambda-tools-defaults\.json is a folder, where convert expects a text file\. Rename or move it/,
    );
    // A named pipe: refused before any read (a read would wait forever). Checked on readText alone, since the
    // tree snapshot around a whole run would itself block on the pipe.
    const pipe = join(tempDir(), 'template.yaml');
    if (spawnSync('mkfifo', [pipe]).status === 0) {
      assert.throws(
        () => readText(pipe, 'template.yaml'),
        /template\.yaml is not a regular file, where convert expects a text file/,
      );
    }
  });
});

describe('convert: text it cannot write back unharmed is refused; encodings it can are kept (17.4)', () => {
  it('a Latin-1 Function.cs (é, ©): refused naming the file and the first byte, not rewritten with U+FFFD', async () => {
    const dir = copyFixture('empty-function');
    const text = readFileSync(at(dir, 'Function.cs'), 'utf8').replace(
      'takes a string',
      'takes a string (café, © Contoso)',
    );
    writeFileSync(at(dir, 'Function.cs'), Buffer.from(text, 'latin1'));
    const line = text.split('\n').findIndex((l) => l.includes('café')) + 1;
    await refused(
      [join(dir, fn)],
      dir,
      new RegExp(
        `Function\\.cs is not UTF-8 text \\(byte 0xe9 at line ${line}, byte \\d+; probably Latin-1 or Windows-1252\\)\\. ` +
          'convert reads and writes text and would damage it: re-save it as UTF-8',
      ),
    );
  });

  it('a Latin-1 aws-lambda-tools-defaults.json is refused too (every file convert reads)', async () => {
    const dir = copyFixture('empty-function');
    const path = at(dir, 'aws-lambda-tools-defaults.json');
    writeFileSync(
      path,
      Buffer.from(readFileSync(path, 'utf8').replace('"profile"', '"profil\u00e9"'), 'latin1'),
    );
    await refused([join(dir, fn)], dir, /aws-lambda-tools-defaults\.json is not UTF-8 text \(byte 0xe9/);
  });

  it('UTF-16LE with BOM and CRLF: converted, and written back as UTF-16LE with BOM and CRLF', async () => {
    const dir = copyFixture('empty-function');
    const path = at(dir, 'Function.cs');
    const original = readFileSync(path, 'utf8')
      .replace(/\r?\n/g, '\r\n')
      .replace('ToUpper', 'ToUpper() + "é"; //');
    writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(original, 'utf16le')]));
    await convert(join(dir, fn), { force: true });
    const bytes = readFileSync(path);
    assert.deepEqual([...bytes.subarray(0, 2)], [0xff, 0xfe], 'BOM kept');
    const after = bytes.subarray(2).toString('utf16le');
    assert.match(
      after,
      /SourceGeneratorLambdaJsonSerializer<EmptyFunction\.LambdaFunctionJsonSerializerContext>/,
    );
    assert.equal(after.split('\r\n').length, after.split('\n').length, 'every line break still CRLF');
    assert.ok(after.includes('ToUpper() + "é"; //'), 'the untouched é survives');
    // Lines convert did not edit are byte-identical.
    const untouched = original.split('\r\n').filter((l) => !/LambdaSerializer|^using /.test(l));
    for (const l of untouched) assert.ok(after.includes(l), l);
  });

  it('a UTF-8 BOM and CRLF in the project file are kept', async () => {
    const dir = copyFixture('empty-function');
    const path = at(dir, 'EmptyFunction.csproj');
    writeFileSync(path, `\uFEFF${readFileSync(path, 'utf8').replace(/\r?\n/g, '\r\n')}`);
    await convert(join(dir, fn), { force: true });
    const after = readFileSync(path);
    assert.deepEqual([...after.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const text = after.toString('utf8');
    assert.match(text, /<PublishAot>true<\/PublishAot>\r\n/);
    assert.doesNotMatch(text, /[^\r]\n/);
  });

  it('decodeText: UTF-16BE with BOM round-trips; a lone surrogate, an odd length and NUL bytes are refused', () => {
    const text = '\uFEFFnamespace Ns; // ü 🙂\r\n';
    const be = encodeText(text, 'utf-16be');
    assert.deepEqual([...be.subarray(0, 2)], [0xfe, 0xff]);
    assert.equal(decodeText(be, 'A.cs'), text);
    assert.throws(
      () => decodeText(Buffer.from([0xff, 0xfe, 0x00, 0xd8, 0x41, 0x00]), 'B.cs'),
      /B\.cs starts with a UTF-16 byte-order mark but is not valid UTF-16LE/,
    );
    assert.throws(() => decodeText(Buffer.from([0xff, 0xfe, 0x41]), 'C.cs'), /C\.cs .*odd number of bytes/);
    assert.throws(
      () => decodeText(Buffer.from('class A {}\u0000\u0000', 'utf8'), 'D.cs'),
      /D\.cs is not a text file \(it holds the control character U\+0000\)/,
    );
  });
});

describe('convert: inputs that gave raw or unrelated errors (17.11)', () => {
  it('an empty csproj: "is empty", not "column undefined"', async () => {
    const dir = copyFixture('empty-function');
    writeFileSync(at(dir, 'EmptyFunction.csproj'), '');
    const message = await refused(
      [join(dir, fn)],
      dir,
      /EmptyFunction\.csproj is empty\. An MSBuild file is an XML document such as <Project Sdk="Microsoft\.NET\.Sdk">.*restore it from version control/,
    );
    assert.doesNotMatch(message, /undefined/);
  });

  it('a folder named X.csproj, passed itself or as the only "project" in the folder: no raw EISDIR', async () => {
    const dir = copyFixture('empty-function');
    mkdirSync(join(dir, 'x/X.csproj'), { recursive: true });
    await refused(
      [join(dir, 'x/X.csproj')],
      dir,
      /X\.csproj is a folder, not a project file, and no \.csproj file was found in it or below\. Pass the folder or \.csproj file/,
    );
    await refused(
      [join(dir, 'x')],
      dir,
      /X\.csproj is a folder, not a project file, and no \.csproj file was found in .*x or below/,
    );
  });

  it('a folder named X.csproj beside the real project is not taken for one', async () => {
    const dir = copyFixture('empty-function');
    mkdirSync(at(dir, 'Old.csproj'));
    const { code, stderr, stdout } = await runCli([join(dir, fn), '--force']);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /Converted .*EmptyFunction\.csproj/);
  });

  it('a Function.cs of random bytes: "not a text file", not "has a Main that does not start the runtime client"', async () => {
    const dir = copyFixture('empty-function');
    // Fixed bytes (no randomness in tests): what /dev/urandom gives, NUL and invalid UTF-8 included.
    const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 1103515245 + 12345) % 251));
    writeFileSync(at(dir, 'Function.cs'), bytes);
    const message = await refused(
      [join(dir, fn)],
      dir,
      /Function\.cs is not a text file \(.*\)\. convert reads and writes text and would damage it: restore it from version control or move it out of the project/,
    );
    assert.doesNotMatch(message, /Main/);
  });
});

describe('convert: user files are read only through text-file.ts (ESLint)', () => {
  it('readFileSync in src/convert is an error outside text-file.ts', async () => {
    const eslint = new ESLint({ cwd: packageRoot });
    const code = "import { readFileSync } from 'node:fs';\nexport const a = readFileSync('x', 'utf8');\n";
    const [outside] = await eslint.lintText(code, { filePath: join(packageRoot, 'src/convert/probe.ts') });
    assert.deepEqual(
      outside?.messages.map((m) => m.ruleId),
      ['no-restricted-imports'],
    );
    assert.match(outside?.messages[0]?.message ?? '', /readText from src\/convert\/text-file\.ts/);
    const member = "import * as fs from 'node:fs';\nexport const a = fs.readFileSync('x');\n";
    const [viaNamespace] = await eslint.lintText(member, {
      filePath: join(packageRoot, 'src/convert/probe.ts'),
    });
    assert.ok(viaNamespace?.messages.some((m) => m.ruleId === 'no-restricted-syntax'));
    const [inside] = await eslint.lintText(code, { filePath: join(packageRoot, 'src/convert/text-file.ts') });
    assert.deepEqual(inside?.messages, []);
  });
});
