/**
 * An enumeration that Partner Center spells one way in its REST API and another way in its UI and
 * bulk CSV files (a number for help types and reasons, a percentage for sales stages). Every value is
 * held once, with both spellings, so a conversion can never drift from the other direction.
 *
 * Conversions refuse values they do not know: a CSV row with help type "7" or an API payload with
 * substatus "Archived" is an error that names the enumeration and the offending value, never a
 * silent default.
 */

/** One member of a coded enumeration. */
export interface CodedValue<Name extends string> {
  /** The canonical name used inside cosell-connector. */
  readonly name: Name;
  /** How the Partner Center REST API spells it. */
  readonly api: string;
  /** How the Partner Center UI and bulk CSV spell it (a number, a percentage or a word). */
  readonly code: string;
  /** Words a seller reads. */
  readonly label: string;
}

/** Raised when a value is not a member of an enumeration. */
export class UnknownEnumValueError extends Error {
  constructor(
    readonly enumName: string,
    readonly spelling: 'name' | 'api' | 'code',
    readonly value: unknown,
    readonly allowed: readonly string[],
  ) {
    super(`${enumName}: ${JSON.stringify(value)} is not a known ${spelling} value (allowed: ${allowed.join(', ')})`);
    this.name = 'UnknownEnumValueError';
  }
}

export interface CodedEnum<Name extends string> {
  readonly enumName: string;
  readonly values: readonly CodedValue<Name>[];
  readonly names: readonly Name[];
  isName(value: unknown): value is Name;
  fromApi(api: unknown): Name;
  toApi(name: Name): string;
  fromCode(code: unknown): Name;
  toCode(name: Name): string;
  label(name: Name): string;
}

/**
 * Builds the conversions for one enumeration. API spellings are matched case-insensitively because
 * Partner Center's own samples mix casings (see partner-center-api.md §1.7, Consent); CSV codes are
 * matched after trimming, since spreadsheets pad cells.
 */
export function defineCodedEnum<const Name extends string>(
  enumName: string,
  values: readonly CodedValue<Name>[],
): CodedEnum<Name> {
  const byName = new Map(values.map((v) => [v.name as string, v]));
  const byApi = new Map(values.map((v) => [v.api.toLowerCase(), v]));
  const byCode = new Map(values.map((v) => [v.code.toLowerCase(), v]));
  const names = values.map((v) => v.name);

  const get = (name: Name): CodedValue<Name> => {
    const found = byName.get(name);
    if (!found) throw new UnknownEnumValueError(enumName, 'name', name, names);
    return found;
  };

  return {
    enumName,
    values,
    names,
    isName: (value: unknown): value is Name => typeof value === 'string' && byName.has(value),
    fromApi(api) {
      const found = typeof api === 'string' ? byApi.get(api.trim().toLowerCase()) : undefined;
      if (!found) throw new UnknownEnumValueError(enumName, 'api', api, values.map((v) => v.api));
      return found.name;
    },
    toApi: (name) => get(name).api,
    fromCode(code) {
      const text = typeof code === 'number' ? String(code) : code;
      const found = typeof text === 'string' ? byCode.get(text.trim().toLowerCase()) : undefined;
      if (!found) throw new UnknownEnumValueError(enumName, 'code', code, values.map((v) => v.code));
      return found.name;
    },
    toCode: (name) => get(name).code,
    label: (name) => get(name).label,
  };
}

/** Letters and digits only, lower case: "Third party", "third-party " and "ThirdParty" are one spelling. */
const compact = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * A value a person typed into a free-text CRM column: the canonical name of the member it spells in any of
 * the enumeration's spellings (name, API, UI/CSV code, label), whatever its case, spaces, hyphens and
 * apostrophes, since people type what the form or Partner Center shows them; `undefined` when it spells none.
 */
export function nameFromText<Name extends string>(e: Pick<CodedEnum<Name>, 'values'>, text: string): Name | undefined {
  const typed = compact(text);
  if (typed === '') return undefined;
  return spellingsOf(e.values).get(typed) as Name | undefined;
}

/**
 * Each enumeration's spellings, compacted once: a Dynamics record's solution kinds are read through
 * `nameFromText`, which compacted every spelling of every member (a lower-casing and a regular expression
 * each) on each call. The first member that spells a text keeps it, as a search in order would find it.
 */
const spellings = new WeakMap<readonly CodedValue<string>[], Map<string, string>>();

function spellingsOf(values: readonly CodedValue<string>[]): Map<string, string> {
  let byText = spellings.get(values);
  if (!byText) {
    byText = new Map();
    for (const v of values) for (const s of [v.name, v.api, v.code, v.label]) if (!byText.has(compact(s))) byText.set(compact(s), v.name);
    spellings.set(values, byText);
  }
  return byText;
}
