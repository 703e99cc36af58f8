import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parse as parseYamlText, type Tags } from 'yaml';

/** Parses XML strictly: throws with the validator's message when the document is not well-formed. */
export function parseXml(text: string): Record<string, unknown> {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new Error(`invalid XML: ${valid.err.msg} (line ${valid.err.line})`);
  // fast-xml-parser's validator lets this through; XML 1.0 and ILC's reader do not.
  for (const comment of text.matchAll(/<!--([\s\S]*?)-->/g)) {
    if (comment[1]?.includes('--') || comment[1]?.endsWith('-'))
      throw new Error(`invalid XML: '--' inside a comment: ${comment[0]}`);
  }
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    trimValues: false,
    htmlEntities: true,
    parseTagValue: false,
    parseAttributeValue: false,
  }).parse(text) as Record<string, unknown>;
}

/** CloudFormation's short-form intrinsic functions as YAML tags, so templates parse as CloudFormation reads them. */
const intrinsics = [
  'Ref',
  'Sub',
  'GetAtt',
  'Join',
  'If',
  'Select',
  'Split',
  'FindInMap',
  'ImportValue',
  'GetAZs',
  'Base64',
  'Equals',
  'Not',
  'And',
  'Or',
  'Condition',
];
export const cfnTags: Tags = intrinsics.flatMap((name) =>
  (['scalar', 'seq', 'map'] as const).map((kind) => ({
    tag: `!${name}`,
    collection: kind === 'scalar' ? undefined : kind,
    resolve: (value: unknown) => ({ [name === 'Ref' ? 'Ref' : `Fn::${name}`]: value }),
    identify: () => false,
  })),
) as unknown as Tags;

export function parseCfnYaml(text: string): Record<string, unknown> {
  return parseYamlText(text, { customTags: cfnTags, strict: true, uniqueKeys: true }) as Record<
    string,
    unknown
  >;
}
