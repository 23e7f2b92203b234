// Two meanings of a plan compared (plan-meaning.ts): what was added, removed or changed, with the old and new values.
// Entities match by path (kind and name), settings by name, so only what a plan means can differ.
import type { MeaningEntity, MeaningValue, PlanMeaning } from './plan-meaning.js';
import { PATH_SEPARATOR } from './plan-meaning.js';

export type ChangeValue = MeaningValue | Record<string, MeaningValue> | null;

export interface PlanChange {
    /** `campaign winback / control`: the entity, then the setting (absent for a whole entity added or removed). */
    path: string;
    kind: 'added' | 'removed' | 'changed';
    /** A setting's value, or a whole entity's settings; null on the side where it is absent. */
    old: ChangeValue;
    new: ChangeValue;
}

/**
 * The changes from `base` to `head` (either may be missing: a plan added or removed), in the head's order, then what
 * the base alone had. A campaign added with its arms and goals is one change for each: every entity stands alone.
 */
export function comparePlans(base: PlanMeaning | undefined, head: PlanMeaning | undefined): PlanChange[] {
    const before = new Map((base?.entities ?? []).map(e => [e.path, e] as const));
    const after = new Map((head?.entities ?? []).map(e => [e.path, e] as const));
    const changes: PlanChange[] = [];
    for (const entity of head?.entities ?? []) {
        const old = before.get(entity.path);
        if (!old) {
            changes.push({ path: entity.path, kind: 'added', old: null, new: record(entity) });
            continue;
        }
        changes.push(...fieldChanges(old, entity));
    }
    for (const entity of base?.entities ?? []) {
        if (after.has(entity.path)) continue;
        changes.push({ path: entity.path, kind: 'removed', old: record(entity), new: null });
    }
    return changes;
}

function fieldChanges(old: MeaningEntity, now: MeaningEntity): PlanChange[] {
    const before = new Map(old.fields);
    const after = new Map(now.fields);
    const names = [...now.fields.map(([name]) => name), ...old.fields.map(([name]) => name).filter(name => !after.has(name))];
    const changes: PlanChange[] = [];
    for (const name of names) {
        const a = before.get(name);
        const b = after.get(name);
        if (a === b) continue;
        const path = `${now.path}${PATH_SEPARATOR}${name}`;
        if (a === undefined) changes.push({ path, kind: 'added', old: null, new: b! });
        else if (b === undefined) changes.push({ path, kind: 'removed', old: a, new: null });
        else changes.push({ path, kind: 'changed', old: a, new: b });
    }
    return changes;
}

function record(entity: MeaningEntity): Record<string, MeaningValue> {
    return Object.fromEntries(entity.fields);
}
