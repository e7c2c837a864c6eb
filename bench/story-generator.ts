/**
 * Synthetic but realistic stories for the clusterer: events of the desk's kinds (handovers,
 * arrests, court stages, killings, tariffs imposed, taking effect, postponed, retaliation) and
 * everyday noise, each event reported by one to six outlets in English or Spanish, with invented
 * people, cartels and places, real countries and goods, and numbers. Deterministic for a seed;
 * no network.
 */
import { random } from './matcher.js';

export interface SyntheticStory {
  title: string;
  description: string;
  language: 'en' | 'es';
  publishedAt: number;
  /** The generated event it reports (for agreement checks). */
  event: number;
}

const SYLLABLES = [
  'ra', 'mon', 'te', 'li', 'ber', 'cas', 'tor', 'vi', 'an', 'gel', 'mar', 'co', 'fe', 'lix', 'do', 'min', 'ga', 'bri', 'el', 'sal',
  'nu', 'pe', 'qui', 'ros', 'sen', 'tu', 'va', 'zu', 'bal', 'cer', 'dal', 'fon', 'gus', 'hel', 'jo', 'lor', 'mu', 'nes', 'or', 'pla',
];
const NICKS = ['Flaco', 'Gordo', 'Güero', 'Chino', 'Tigre', 'Toro', 'Cuervo', 'Lobo', 'Mudo', 'Pelón', 'Chivo', 'Zorro', 'Gallo', 'Jaguar', 'Halcón'];
const ROLES: [string, string][] = [['leader', 'líder'], ['financial operator', 'operador financiero'], ['security chief', 'jefe de seguridad'], ['founder', 'fundador'], ['hitman', 'sicario']];
const US_CITIES = ['Brooklyn', 'Chicago', 'San Diego', 'Houston', 'Washington', 'Miami', 'El Paso', 'Phoenix', 'San Antonio', 'Los Angeles'];
const COUNTRIES: [string, string][] = [
  ['Mexico', 'México'], ['Mexico', 'México'], ['Mexico', 'México'], ['Canada', 'Canadá'], ['China', 'China'], ['Colombia', 'Colombia'],
  ['Ecuador', 'Ecuador'], ['Brazil', 'Brasil'], ['India', 'India'], ['Japan', 'Japón'], ['the European Union', 'la Unión Europea'],
  ['Guatemala', 'Guatemala'], ['Honduras', 'Honduras'],
];
const GOODS: [string, string][] = [
  ['steel', 'acero'], ['cars', 'autos'], ['tomatoes', 'tomates'], ['avocados', 'aguacates'], ['trucks', 'camiones'],
  ['aluminum', 'aluminio'], ['electronics', 'electrónicos'], ['textiles', 'textiles'], ['beef', 'carne de res'], ['lumber', 'madera'],
];
const WEEKDAYS: [string, string][] = [['Monday', 'lunes'], ['Tuesday', 'martes'], ['Wednesday', 'miércoles'], ['Thursday', 'jueves'], ['Friday', 'viernes']];
/** Everyday news: a subject, something that happened, and details, each drawn from short lists. */
const NOISE_SUBJECTS: [string, string][] = [
  ['{place} council', 'El cabildo de {place}'], ['{place} football club', 'El club de futbol de {place}'], ['{name}', '{name}'],
  ['The {place} museum', 'El museo de {place}'], ['{place} hospital', 'El hospital de {place}'], ['{place} university', 'La universidad de {place}'],
];
const NOISE_ACTIONS: [string, string][] = [
  ['opens', 'inaugura'], ['approves', 'aprueba'], ['cancels', 'cancela'], ['celebrates', 'celebra'], ['announces', 'anuncia'], ['wins', 'gana'],
];
const NOISE_OBJECTS: [string, string][] = [
  ['water treatment plant', 'planta de tratamiento de agua'], ['budget for {n} schools', 'presupuesto para {n} escuelas'],
  ['summer festival', 'festival de verano'], ['cup final', 'final de copa'], ['new exhibition of {name}', 'nueva exposición de {name}'],
  ['{n} new beds', '{n} camas nuevas'], ['science prize', 'premio de ciencias'], ['bus route to {place}', 'ruta de autobús a {place}'],
];

type Slots = Record<string, string>;
type Template = { en: string[]; es: string[]; enLead: string; esLead: string };

/** Each kind of event, with ways English and Spanish outlets title it and a lead sentence. */
const KINDS: Template[] = [
  {
    en: ['{country} extradites {alias} to the United States', '{alias}, {role} of the {cartel}, extradited to {city}', '{country} hands over {nick} to US authorities'],
    es: ['{pais} extradita a {alias} a Estados Unidos', 'Extraditan a {alias}, {rol} del {cartelEs}, a EU', 'Entregan a {alias} a autoridades de EEUU'],
    enLead: '{full}, known as {alias}, was flown to {city} on {day} to face drug trafficking charges, officials said.',
    esLead: '{full}, alias {alias}, fue trasladado a {city} este {dia} para enfrentar cargos por narcotráfico.',
  },
  {
    en: ['{country} sends {n} alleged cartel members to the US', '{country} transfers {n} prisoners to US custody', '{n} cartel figures handed over to the United States'],
    es: ['{pais} envía a {n} integrantes de cárteles a Estados Unidos', 'Trasladan a {n} reos de {pais} a EU', '{pais} entrega a {n} narcotraficantes a EEUU'],
    enLead: 'The group, which includes {alias} of the {cartel}, left on {day} aboard military planes.',
    esLead: 'Entre los {n} enviados este {dia} está {alias}, del {cartelEs}, informó el Gabinete de Seguridad.',
  },
  {
    en: ['{alias}, alleged {role} of the {cartel}, arrested in {place}', 'Police capture {alias} in {place}', '{country} arrests {cartel} {role} {alias}'],
    es: ['Detienen a {alias}, presunto {rol} del {cartelEs}, en {place}', 'Capturan a {alias} en {place}', 'Cae {alias}, {rol} del {cartelEs}'],
    enLead: '{full} was detained on {day} in an operation by federal forces, the security ministry said.',
    esLead: '{full} fue detenido el {dia} en un operativo de fuerzas federales en {place}.',
  },
  {
    en: ['{alias} pleads not guilty in {city} federal court', '{alias} arraigned in {city} on trafficking charges'],
    es: ['{alias} se declara no culpable en corte de {city}', '{alias} comparece ante juez en {city}'],
    enLead: '{full}, accused {role} of the {cartel}, appeared before a judge on {day}.',
    esLead: '{full}, señalado como {rol} del {cartelEs}, compareció ante un juez federal el {dia}.',
  },
  {
    en: ['{alias} pleads guilty to drug trafficking in {city}', '{cartel} {role} {alias} pleads guilty'],
    es: ['{alias} se declara culpable de narcotráfico en {city}', '{alias}, {rol} del {cartelEs}, se declara culpable'],
    enLead: '{full} admitted on {day} to leading a trafficking network, prosecutors said.',
    esLead: '{full} admitió el {dia} haber encabezado una red de tráfico de drogas.',
  },
  {
    en: ['{alias} sentenced to {n} years in prison', 'US judge sentences {cartel} {role} to {n} years'],
    es: ['Condenan a {alias} a {n} años de prisión', 'Sentencian a {alias}, {rol} del {cartelEs}, a {n} años'],
    enLead: 'A federal judge in {city} sentenced {full} on {day}.',
    esLead: 'Un juez federal en {city} sentenció a {full} el {dia}.',
  },
  {
    en: ['{alias}, leader of the {cartel}, killed in army operation in {place}', 'Security forces kill {alias} in {place}'],
    es: ['Abaten a {alias}, líder del {cartelEs}, en operativo en {place}', 'Muere {alias} en enfrentamiento con el Ejército en {place}'],
    enLead: '{full} died on {day} during a clash with soldiers, officials said.',
    esLead: '{full} murió el {dia} durante un enfrentamiento con militares.',
  },
  {
    en: ['Trump announces {pct}% tariffs on {country} {goods}', 'US to impose {pct}% tariff on {goods} from {country}', 'Trump threatens {country} with {pct}% tariffs'],
    es: ['Trump impone aranceles de {pct}% a {goodsEs} de {pais}', 'EU anuncia aranceles de {pct}% a {goodsEs} de {pais}', 'Trump amenaza a {pais} con aranceles de {pct}%'],
    enLead: 'The tariffs on {goods} would start on {month} {date}, the White House said on {day}.',
    esLead: 'Los aranceles a {goodsEs} comenzarían el {date} de {mes}, dijo la Casa Blanca el {dia}.',
  },
  {
    en: ['US tariffs of {pct}% on {country} {goods} take effect', '{pct}% duties on {goods} from {country} kick in'],
    es: ['Entran en vigor aranceles de {pct}% a {goodsEs} de {pais}', 'Aranceles de {pct}% a {goodsEs} de {pais} entran en vigor'],
    enLead: 'Importers of {goods} from {country} began paying the duties on {day}.',
    esLead: 'Los importadores de {goodsEs} de {pais} comenzaron a pagar los aranceles el {dia}.',
  },
  {
    en: ['Trump delays {country} tariffs by {n} days', 'US postpones tariffs on {country} {goods} until {month} {date}', 'Trump grants {country} {n}-day tariff extension'],
    es: ['Trump pospone {n} días los aranceles a {pais}', 'EU aplaza aranceles a {goodsEs} de {pais} hasta el {date} de {mes}', 'Trump da a {pais} prórroga de {n} días en aranceles'],
    enLead: 'The pause on {goods} duties follows talks between both governments on {day}.',
    esLead: 'La pausa en los aranceles a {goodsEs} se da tras pláticas entre ambos gobiernos el {dia}.',
  },
  {
    en: ['{country} retaliates with {pct}% tariffs on US {goods}', '{country} hits back at US with tariffs on {goods}'],
    es: ['{pais} responde con aranceles de {pct}% a {goodsEs} estadounidenses', 'Represalia de {pais}: aranceles a {goodsEs} de EU'],
    enLead: '{country} said on {day} the measure answers the US tariffs on its exports.',
    esLead: '{pais} dijo el {dia} que la medida responde a los aranceles de EU a sus exportaciones.',
  },
];

const MONTHS: [string, string][] = [['April', 'abril'], ['May', 'mayo'], ['June', 'junio'], ['July', 'julio'], ['August', 'agosto']];

function fill(template: string, slots: Slots): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => slots[key] ?? key);
}

function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/**
 * `count` stories over [startAt, startAt + spanMs), in publication order. Events start uniformly
 * over the span; each is reported 1–6 times within 18 hours of its start.
 */
export function syntheticStories(count: number, options: { seed?: number; startAt?: number; spanMs?: number } = {}): SyntheticStory[] {
  const next = random(options.seed ?? 42);
  const startAt = options.startAt ?? Date.UTC(2026, 0, 5);
  const spanMs = options.spanMs ?? 72 * 3600_000;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const word = (syllables: number) => capitalised(Array.from({ length: syllables }, () => pick(SYLLABLES)).join(''));
  const stories: SyntheticStory[] = [];
  for (let event = 0; stories.length < count; event++) {
    const at = startAt + next() * spanMs;
    const [country, pais] = pick(COUNTRIES);
    const [goods, goodsEs] = pick(GOODS);
    const [role, rol] = pick(ROLES);
    const [month, mes] = pick(MONTHS);
    const [day, dia] = pick(WEEKDAYS);
    const nick = `${pick(NICKS)} ${word(2)}`;
    const cartelPlace = word(3);
    const slots: Slots = {
      country, pais, goods, goodsEs, role, rol, month, mes, day, dia, nick,
      alias: `"El ${nick}"`,
      full: `${word(2)} ${word(3)} ${word(3)}`,
      name: `${word(2)} ${word(3)}`,
      cartel: `${cartelPlace} Cartel`,
      cartelEs: `Cártel de ${cartelPlace}`,
      place: word(3),
      city: pick(US_CITIES),
      n: String(2 + Math.floor(next() * 60)),
      pct: String(5 * (1 + Math.floor(next() * 10))),
      date: String(1 + Math.floor(next() * 28)),
    };
    const noise = next() < 0.3;
    const reports = Math.min(6, 1 + Math.floor(-Math.log(1 - next()) * 1.5));
    const kind = pick(KINDS);
    for (let r = 0; r < reports && stories.length < count; r++) {
      const language = next() < 0.5 ? 'en' : 'es';
      const publishedAt = Math.round(at + next() * 18 * 3600_000);
      if (noise) {
        const side = language === 'en' ? 0 : 1;
        const title = [pick(NOISE_SUBJECTS), pick(NOISE_ACTIONS), pick(NOISE_OBJECTS)].map((words) => fill(words[side], slots)).join(' ');
        stories.push({ title, description: '', language, publishedAt, event });
        continue;
      }
      const title = fill(pick(language === 'en' ? kind.en : kind.es), slots);
      const description = fill(language === 'en' ? kind.enLead : kind.esLead, slots);
      stories.push({ title, description, language, publishedAt, event });
    }
  }
  return stories.sort((a, b) => a.publishedAt - b.publishedAt);
}
