/**
 * A source file the end-to-end tests add to a generated project before publishing it; inert unless its
 * environment variables are set. It lets the native executable prove two things no generated file can show
 * by itself: an exception in the init phase reaches Lambda as an init error (E2E_FAIL_INIT=1), and rd.xml
 * is honoured (E2E_REFLECT lists assembly-qualified type names to create by reflection; it prints the
 * outcome of each and exits before the runtime client starts).
 */
export function probeSource(namespace: string): string {
  return `using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace ${namespace};

public partial class Function
{
    // A property initializer runs inside the instance constructor, that is in the init phase. (A static
    // constructor would not do: it runs before Main, which is a static method of this class.)
    internal bool E2eInitProbe { get; } = InitProbe.ThrowIfAsked();
}

internal static class InitProbe
{
    internal static bool ThrowIfAsked() =>
        Environment.GetEnvironmentVariable("E2E_FAIL_INIT") != "1"
            ? true
            : throw new InvalidOperationException("init failure requested by E2E_FAIL_INIT");
}

internal static class ReflectionProbe
{
    [ModuleInitializer]
    [UnconditionalSuppressMessage("Trimming", "IL2057", Justification = "The probe tests what survives trimming.")]
    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "The probe tests what survives trimming.")]
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The probe tests what survives trimming.")]
    internal static void Run()
    {
        var names = Environment.GetEnvironmentVariable("E2E_REFLECT");
        if (string.IsNullOrEmpty(names))
        {
            return;
        }

        foreach (var name in names.Split(';'))
        {
            var type = Type.GetType(name);
            string outcome;
            try
            {
                outcome = type is null ? "missing" : Activator.CreateInstance(type) is null ? "null" : "created";
            }
            catch (Exception e)
            {
                outcome = e.GetType().Name;
            }

            Console.WriteLine($"{name} => {outcome}");
        }

        Environment.Exit(0);
    }
}
`;
}

/**
 * A plugin type the tests do not list in --reflection-types, beside the listed one (E2e.Plugins.Listed), which
 * the generator writes itself as a placeholder class in ReflectionTypes.cs.
 */
export function pluginsSource(namespace: string): string {
  return `namespace ${namespace}.Plugins;

public sealed class Unlisted
{
    public override string ToString() => "unlisted";
}
`;
}
