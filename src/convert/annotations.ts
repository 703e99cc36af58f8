import type { SourceFile } from './csharp-source.js';
import { fail } from './errors.js';

/**
 * Projects built on Amazon.Lambda.Annotations (issue 16.3). Its source generator writes the real handlers
 * (`Ns.Functions_Get_Generated::Get`, with dependency injection from a [LambdaStartup] class) and the templates'
 * Handler settings, so convert's rewrite of handlers and Main would break every function: --handler would make them
 * all run one method. Annotations has its own NativeAOT path (GenerateMain), which convert names instead.
 *
 * Refusing rather than converting: Amazon.Lambda.Annotations is not among the packages these machines can restore
 * (its generator needs Roslyn 4.3.1, which is not served), so a conversion to GenerateMain could not be compiled
 * and checked here, and convert writes nothing it cannot check.
 */
const packageId = 'amazon.lambda.annotations';
const functionAttributes = new Set(['LambdaFunction', 'LambdaFunctionAttribute']);

/** The first `[LambdaFunction]` in the sources, as `path:line`. */
function firstLambdaFunction(files: readonly SourceFile[]): string | undefined {
  for (const file of files) {
    const attribute = file.parsed.root.descendantsOfType('attribute').find((a) => {
      const name = a?.childForFieldName('name')?.text ?? '';
      return functionAttributes.has(name.slice(name.lastIndexOf('.') + 1));
    });
    if (attribute) return `${file.path}:${attribute.startPosition.row + 1}`;
  }
  return undefined;
}

/** Refuses an Annotations project (a reference to the package, or `[LambdaFunction]` methods) with what to do. */
export function refuseAnnotations(
  projectLabel: string,
  packageIds: readonly string[],
  files: readonly SourceFile[],
): void {
  const referenced = packageIds.some((id) => id.toLowerCase() === packageId);
  const where = firstLambdaFunction(files);
  if (!referenced && !where) return;
  fail(
    `${projectLabel} uses Amazon.Lambda.Annotations${where ? ` ([LambdaFunction] at ${where})` : ''}. Its source generator writes ` +
      `the handlers the templates name (Type_Method_Generated) and builds their dependencies, so convert cannot rewrite ` +
      `them, and no --handler helps: every function would run that one method. Annotations has its own NativeAOT ` +
      `support: add [assembly: LambdaGlobalProperties(GenerateMain = true, Runtime = "provided.al2023")], set ` +
      `<OutputType>Exe</OutputType>, <PublishAot>true</PublishAot> and <AssemblyName>bootstrap</AssemblyName>, list ` +
      `every request and response type in a JsonSerializerContext and name it with [assembly: LambdaSerializer(typeof(` +
      `SourceGeneratorLambdaJsonSerializer<YourContext>))]; its generated Main then picks the function from the ` +
      `ANNOTATIONS_HANDLER variable it writes into serverless.template. Nothing was written.`,
  );
}
