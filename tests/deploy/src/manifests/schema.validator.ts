/**
 * Offline validation of rendered objects against the Kubernetes API schemas, in two passes:
 *
 * 1. values: each object goes through the JSON-schema validator that `kubernetes-models` (and
 *    `@kubernetes-models/keda`, generated from KEDA's CRD) ship for its apiVersion and kind —
 *    types, enums, required fields, quantity and port formats;
 * 2. field names: those validators accept unknown fields (the OpenAPI schemas leave
 *    additionalProperties open), while `kubectl apply` rejects them (strict field validation), so
 *    every object is also type-checked against the models' TypeScript interfaces with the
 *    TypeScript compiler, whose excess-property check reports a misspelt or misplaced field at any
 *    depth (`livenesProbe`, `securityContext.runAsNonroot`, …).
 *
 * An object whose apiVersion/kind has no model is a problem too, never skipped.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import ts from "typescript";

import { idOf, type TK8sObject } from "./k8s-object.js";

export type TSchemaProblem = { object: string; message: string };

type TModelClass = new (data: unknown) => { validate(): void };

const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The module of the model for an apiVersion and kind, e.g. kubernetes-models/apps/v1/Deployment. */
export function modelModuleOf(apiVersion: string, kind: string): string {
  const base = apiVersion.startsWith("keda.sh/") ? "@kubernetes-models/keda" : "kubernetes-models";

  return `${base}/${apiVersion}/${kind}`;
}

async function loadModel(apiVersion: string, kind: string): Promise<TModelClass | undefined> {
  try {
    const module = (await import(modelModuleOf(apiVersion, kind))) as Record<string, unknown>;
    const model = module[kind];

    return typeof model === "function" ? (model as TModelClass) : undefined;
  } catch {
    return undefined;
  }
}

/** Pass 1: the shipped JSON-schema validators. */
export async function validateValues(objects: TK8sObject[]): Promise<TSchemaProblem[]> {
  const problems: TSchemaProblem[] = [];
  for (const object of objects) {
    const Model = await loadModel(object.apiVersion, object.kind);
    if (Model === undefined) {
      problems.push({
        object: idOf(object),
        message: `no schema for ${object.apiVersion} ${object.kind}`,
      });
      continue;
    }
    try {
      new Model(structuredClone(object)).validate();
    } catch (err) {
      problems.push({
        object: idOf(object),
        message: err instanceof Error ? err.message : String(err),
      });
    }
  }

  return problems;
}

/** Pass 2: unknown or misplaced field names, through the models' TypeScript interfaces. */
export function validateFieldNames(objects: TK8sObject[]): TSchemaProblem[] {
  const fileName = join(PACKAGE_ROOT, "src", "__rendered-objects__.ts");
  const lines: string[] = [];
  const owners: { firstLine: number; object: string }[] = [];

  objects.forEach((object, index) => {
    lines.push(
      `import type { I${object.kind} as T${index} } from "${modelModuleOf(object.apiVersion, object.kind)}";`,
    );
  });
  let lineCount = lines.length;
  objects.forEach((object, index) => {
    owners.push({ firstLine: lineCount, object: idOf(object) });
    const declaration = `export const object${index}: T${index} = ${JSON.stringify(object, null, 2)};`;
    lines.push(declaration);
    lineCount += declaration.split("\n").length;
  });
  const source = lines.join("\n");

  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ["lib.es2022.d.ts"],
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (name) => (name === fileName ? source : readFile(name));
  host.fileExists = (name) => name === fileName || ts.sys.fileExists(name);
  host.getSourceFile = (name, language, onError) =>
    name === fileName
      ? ts.createSourceFile(name, source, language)
      : getSourceFile(name, language, onError);

  const program = ts.createProgram([fileName], options, host);
  const file = program.getSourceFile(fileName)!;

  return ts.getPreEmitDiagnostics(program, file).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, " ");
    if (diagnostic.start === undefined) return { object: "(all)", message };
    const { line } = file.getLineAndCharacterOfPosition(diagnostic.start);
    const owner = owners.findLast((candidate) => candidate.firstLine <= line);

    return { object: owner?.object ?? "(imports)", message: `line ${line + 1}: ${message}` };
  });
}

/** Both passes. The API server checks more (immutable fields, CEL rules); these are the schemas. */
export async function validateObjects(objects: TK8sObject[]): Promise<TSchemaProblem[]> {
  return [...(await validateValues(objects)), ...validateFieldNames(objects)];
}
