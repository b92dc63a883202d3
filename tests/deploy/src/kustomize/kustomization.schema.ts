/**
 * The kustomization.yaml fields the renderer understands. The objects are strict: a field that
 * kustomize knows but this renderer does not (labels, replicas, configMapGenerator, …) is an
 * error rather than silently ignored, so the rendered output never differs from kustomize's by an
 * unread field. deploy/README.md ("How the manifests are rendered") lists the same subset.
 */
import { z } from "zod";

const ZRelativePath = z.string().min(1);

export const ZPatchTarget = z.strictObject({
  group: z.string().optional(),
  version: z.string().optional(),
  kind: z.string().min(1),
  // Exact names only: kustomize reads this as a regular expression, which the renderer does not.
  name: z
    .string()
    .regex(/^[a-z0-9.-]+$/, "only plain names are supported (no patterns)")
    .optional(),
  namespace: z.string().optional(),
});
export type TPatchTarget = z.infer<typeof ZPatchTarget>;

export const ZPatch = z
  .strictObject({
    path: ZRelativePath.optional(),
    patch: z.string().min(1).optional(),
    target: ZPatchTarget.optional(),
  })
  .refine((patch) => (patch.path === undefined) !== (patch.patch === undefined), {
    message: "a patch needs exactly one of path and patch",
  });

export const ZImage = z.strictObject({
  name: z.string().min(1),
  newName: z.string().min(1).optional(),
  newTag: z.string().min(1).optional(),
  digest: z
    .string()
    .regex(/^sha256:[0-9a-f]{64}$/)
    .optional(),
});
export type TImage = z.infer<typeof ZImage>;

const ZCommonFields = {
  resources: z.array(ZRelativePath).default([]),
  components: z.array(ZRelativePath).default([]),
  namespace: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .optional(),
  patches: z.array(ZPatch).default([]),
  images: z.array(ZImage).default([]),
};

export const ZKustomization = z.strictObject({
  apiVersion: z.literal("kustomize.config.k8s.io/v1beta1"),
  kind: z.literal("Kustomization"),
  ...ZCommonFields,
});

export const ZComponent = z.strictObject({
  apiVersion: z.literal("kustomize.config.k8s.io/v1alpha1"),
  kind: z.literal("Component"),
  ...ZCommonFields,
});

export type TKustomization = z.infer<typeof ZKustomization> | z.infer<typeof ZComponent>;
