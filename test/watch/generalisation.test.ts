/**
 * The shipped watchlists (config/default.yaml) on kinds of stories the labelled development set
 * barely covers, through the real `wirewatch match` command: each table is one kind of story and
 * its look-alikes, in English and Spanish, written for this test (wire-style title and first
 * sentence). Every row must come out as stated, and the precision and recall over all rows are
 * printed per watchlist and language.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { formatScores, score } from '../helpers/evaluate.js';

type WatchlistId = 'extradition' | 'tariffs' | 'cartel_leaders';
const ORDER: WatchlistId[] = ['extradition', 'tariffs', 'cartel_leaders'];

interface Row {
  title: string;
  description: string;
  language: 'en' | 'es';
  /** The watchlists that must fire; [] = none. */
  fires: WatchlistId[];
}

const KINDS: Record<string, Row[]> = {
  'extradition: a capo arrives in a US court, told without the word "extradite"': [
    {
      title: 'Alleged Sinaloa cartel plaza boss arraigned in Brooklyn after being flown from Mexico',
      description: 'The suspect pleaded not guilty to fentanyl trafficking charges a day after Mexican authorities handed him to U.S. marshals.',
      language: 'en',
      fires: ['extradition', 'cartel_leaders'],
    },
    {
      title: 'Accused trafficker pleads not guilty in San Diego after transfer from Mexico',
      description: 'He was among the prisoners the Mexican government sent north this week, federal prosecutors said.',
      language: 'en',
      fires: ['extradition'],
    },
    {
      title: 'Comparece ante corte de Texas exjefe de plaza tras ser enviado por México',
      description: 'El presunto narcotraficante se declaró no culpable de cargos de tráfico de metanfetamina ante un juez federal en Houston.',
      language: 'es',
      fires: ['extradition'],
    },
    {
      title: 'Llega a Chicago presunto operador del Cártel de Tijuana entregado por autoridades mexicanas',
      description: 'Fue puesto a disposición de una corte federal que lo acusa de tráfico de cocaína.',
      language: 'es',
      fires: ['extradition', 'cartel_leaders'],
    },
    // Look-alikes: a court appearance of someone arrested in the US, not sent by Mexico.
    {
      title: 'Alleged courier arraigned in Brooklyn after arrest at JFK',
      description: 'He was caught with ten kilos of cocaine hidden in his luggage on a flight from Mexico City.',
      language: 'en',
      fires: [],
    },
    {
      title: 'Comparece ante juez de Texas mexicano detenido en la frontera con fentanilo',
      description: 'El hombre fue arrestado al intentar cruzar por el puerto de entrada de El Paso.',
      language: 'es',
      fires: [],
    },
    // Further stories of this kind.
    {
      title: "Accused hitman for 'Los Chapitos' appears in Manhattan court after handover",
      description: "He was flown from Toluca on Thursday, prosecutors said.",
      language: 'en',
      fires: ['extradition', 'cartel_leaders'],
    },
    {
      title: "Llega a Nueva York exjefe de plaza enviado por el gobierno mexicano",
      description: "Compareció ante un juez federal acusado de traficar cocaína.",
      language: 'es',
      fires: ['extradition'],
    },
    {
      title: "Tijuana police chief arrested in San Diego on bribery charges",
      description: "He pleaded not guilty at his first court appearance.",
      language: 'en',
      fires: [],
    },
    {
      title: "Mexico hands 'El Chapo' lawyer's client to US",
      description: "The alleged Sinaloa cartel accountant was flown to San Diego.",
      language: 'en',
      fires: ['extradition', 'cartel_leaders'],
    },
    {
      title: "Reputed CJNG plaza boss lands in Texas to face charges",
      description: "Mexican officials turned him over at the Matamoros bridge on Wednesday.",
      language: 'en',
      fires: ['extradition', 'cartel_leaders'],
    },
    {
      title: "Ex-Mexican police commander pleads not guilty in New York after expulsion",
      description: "He was among 26 prisoners Mexico sent to the US last month.",
      language: 'en',
      fires: ['extradition'],
    },
  ],

  'extradition: unnamed drug lords, cartel bosses, capos and narcotraficantes sent from Mexico': [
    {
      title: 'Mexico extradites alleged drug lord wanted in Chicago',
      description: 'The suspected trafficker was handed to U.S. marshals at the Mexico City airport.',
      language: 'en',
      fires: ['extradition'],
    },
    {
      title: 'Suspected cartel boss handed over to US weeks after arrest in Sonora',
      description: 'Mexican prosecutors said he faces drug charges in a federal court in Arizona.',
      language: 'en',
      fires: ['extradition'],
    },
    {
      title: 'Extraditan a EU a narcotraficante detenido en Culiacán',
      description: 'La FGR informó que fue entregado a la justicia estadounidense en el aeropuerto de Toluca.',
      language: 'es',
      fires: ['extradition'],
    },
    {
      title: 'Capo del narcotráfico es enviado a Estados Unidos desde el penal del Altiplano',
      description: 'Autoridades mexicanas lo entregaron a agentes federales estadounidenses en Toluca.',
      language: 'es',
      fires: ['extradition'],
    },
    // Look-alikes: drug lords extradited by other countries, or sent back to Mexico.
    {
      title: 'Drug lord extradited from Colombia to Florida',
      description: 'The Clan del Golfo commander will face cocaine trafficking charges in Miami.',
      language: 'en',
      fires: [],
    },
    {
      title: 'US sends convicted drug lord back to Mexico after prison term',
      description: 'He was handed to Mexican authorities at the Laredo crossing after serving 20 years.',
      language: 'en',
      fires: [],
    },
    {
      title: 'Ecuador entrega a Estados Unidos a capo de Los Lobos',
      description: 'El narcotraficante ecuatoriano fue enviado en un avión de la DEA a Nueva York.',
      language: 'es',
      fires: [],
    },
    // Further stories of this kind.
    {
      title: "Mexico sends 12 more alleged cartel operatives to US in latest handover",
      description: "The group includes a money launderer for the Jalisco cartel, officials said.",
      language: 'en',
      fires: ['extradition', 'cartel_leaders'],
    },
    {
      title: "Presunto líder de célula delictiva es extraditado a Estados Unidos",
      description: "Fue detenido en Sonora en 2023 y era requerido por una corte de Arizona.",
      language: 'es',
      fires: ['extradition'],
    },
    {
      title: "Sheinbaum defends prisoner transfers to US as sovereign decision",
      description: "The president said the 26 inmates sent last week were wanted for drug crimes.",
      language: 'en',
      fires: ['extradition'],
    },
    {
      title: "Sinaloa governor meets US ambassador on security",
      description: "Rocha Moya said the state would cooperate with Washington against fentanyl labs.",
      language: 'en',
      fires: [],
    },
    {
      title: "Monterrey-based firm sends engineers to Texas plant",
      description: "The company is expanding production in San Antonio.",
      language: 'en',
      fires: [],
    },
    {
      title: "Mexico sends firefighters to help battle California wildfires",
      description: "The team of 70 will join crews near Los Angeles.",
      language: 'en',
      fires: [],
    },
    {
      title: "México envía 300 bomberos a Los Ángeles",
      description: "Sheinbaum dijo que la brigada ayudará a combatir los incendios en California.",
      language: 'es',
      fires: [],
    },
    {
      title: "Mexico transfers 26 inmates to US; list includes CJNG and Gulf figures",
      description: "",
      language: 'en',
      fires: ['extradition', 'cartel_leaders'],
    },
    {
      title: "Envían a EU a 'El 300', jefe de sicarios en Tamaulipas",
      description: "Fue entregado por la FGR a la justicia estadounidense.",
      language: 'es',
      fires: ['extradition'],
    },
    {
      title: "Sheinbaum descarta extraditar a EU a políticos acusados de narco",
      description: "La presidenta dijo que no hay solicitudes formales.",
      language: 'es',
      fires: ['extradition'],
    },
    {
      title: "Mexico sends aid to Texas flood victims",
      description: "Sheinbaum said 50 rescuers flew to San Antonio.",
      language: 'en',
      fires: [],
    },
  ],

  'extradition: another country extraditing, even a Mexican, and not Mexico to the US': [
    {
      title: 'Guatemala extradites Mexican national wanted for murder',
      description: 'The man, arrested in Huehuetenango, was handed to Mexican police at the border crossing.',
      language: 'en',
      fires: [],
    },
    {
      title: 'Guatemala extradita a mexicano acusado de trata de personas',
      description: 'Fue entregado a la Fiscalía de Chiapas en el puente fronterizo de Ciudad Hidalgo.',
      language: 'es',
      fires: [],
    },
    {
      title: 'Spain extradites Mexican businessman to the United States on fraud charges',
      description: "Madrid's High Court approved the handover of the Mexican citizen sought by prosecutors in Miami.",
      language: 'en',
      fires: [],
    },
    {
      title: 'Guatemala extradites Mexican drug suspect to the United States',
      description: 'The Mexican national, arrested in Petén, is wanted by federal prosecutors in Texas.',
      language: 'en',
      fires: [],
    },
    {
      title: 'Guatemala extradita a EU a narcotraficante mexicano',
      description: 'El detenido, capturado en Petén, es requerido por una corte federal de Florida.',
      language: 'es',
      fires: [],
    },
    {
      title: 'Colombia extradita a EU a mexicano ligado al Cártel de Sinaloa',
      description: 'El ciudadano mexicano fue capturado en Cali y enfrentará cargos en Nueva York.',
      language: 'es',
      fires: ['cartel_leaders'],
    },
    {
      title: 'Peru hands over Mexican fugitive to Mexico',
      description: 'The suspect, wanted in Jalisco for fraud, was flown to Mexico City under police escort.',
      language: 'en',
      fires: [],
    },
    // Look-alikes: a foreigner extradited by Mexico to the US.
    {
      title: 'Guatemalan trafficker extradited from Mexico to the US',
      description: 'Mexican authorities handed the Guatemalan citizen to US marshals in Mexico City.',
      language: 'en',
      fires: ['extradition'],
    },
    {
      title: 'México extradita a EU a guatemalteco acusado de tráfico de cocaína',
      description: 'El detenido fue entregado a agentes estadounidenses en el aeropuerto de la Ciudad de México.',
      language: 'es',
      fires: ['extradition'],
    },
    // Further stories of this kind.
    {
      title: "Honduras extradites alleged Sinaloa cartel associate to US",
      description: "The Honduran national was accused of moving cocaine for Mexican traffickers.",
      language: 'en',
      fires: ['cartel_leaders'],
    },
    {
      title: "Spanish police arrest CJNG member wanted by the US",
      description: "He will be extradited to the United States, the Interior Ministry said.",
      language: 'en',
      fires: ['cartel_leaders'],
    },
    {
      title: "Italia extradita a EU a operador del Cártel del Golfo",
      description: "El mexicano fue detenido en Roma el año pasado.",
      language: 'es',
      fires: ['cartel_leaders'],
    },
    {
      title: "Court in Madrid approves extradition of Mexican ex-governor to Mexico",
      description: "The former governor of Tamaulipas fought the request for two years.",
      language: 'en',
      fires: [],
    },
    {
      title: "Costa Rica entrega a EU a narco mexicano",
      description: "El detenido era buscado por una corte de Texas.",
      language: 'es',
      fires: [],
    },
  ],

  'extradition: the reverse direction, the United States sending someone to Mexico': [
    {
      title: 'Extradita EU a México a exgobernador de Tamaulipas',
      description: 'El exmandatario fue entregado a la FGR en el puente internacional de Reynosa.',
      language: 'es',
      fires: [],
    },
    {
      title: 'Entrega Estados Unidos a México a presunto feminicida',
      description: 'El hombre era buscado por la Fiscalía de Chihuahua y fue detenido en Phoenix.',
      language: 'es',
      fires: [],
    },
    {
      title: 'Extraditan de Estados Unidos a México a exjefe policiaco',
      description: 'El exfuncionario estaba acusado de desaparición forzada en Veracruz.',
      language: 'es',
      fires: [],
    },
    {
      title: 'US extradites ex-police chief to Mexico over disappearance of students',
      description: 'He was handed to Mexican prosecutors at the Tijuana border crossing.',
      language: 'en',
      fires: [],
    },
    // Look-alikes: the same verb-first headlines in the direction that counts, and a request.
    {
      title: 'Extradita México a EU a exjefe policiaco ligado al narco',
      description: 'El exfuncionario era requerido por una corte de Texas por proteger a narcotraficantes.',
      language: 'es',
      fires: ['extradition'],
    },
    {
      title: 'Entrega México a Estados Unidos a 18 reos de alta peligrosidad',
      description: 'Los presos fueron trasladados desde penales federales en aviones de la Fiscalía.',
      language: 'es',
      fires: ['extradition'],
    },
    {
      title: 'Pide EU a México extraditar a exjefe policiaco acusado de narcotráfico',
      description: 'El Departamento de Justicia presentó la solicitud formal ante la cancillería mexicana.',
      language: 'es',
      fires: ['extradition'],
    },
    // Further stories of this kind.
    {
      title: "US deports Mexican drug trafficker after 15-year sentence",
      description: "He was handed to Mexican authorities in Nogales.",
      language: 'en',
      fires: [],
    },
    {
      title: "Argentina extradita a México a exfuncionario de Veracruz",
      description: "Fue entregado en el aeropuerto de la Ciudad de México.",
      language: 'es',
      fires: [],
    },
    {
      title: "Devuelve EU a México a exalcalde acusado de nexos con el narco",
      description: "Fue entregado en la garita de Nogales a la FGR.",
      language: 'es',
      fires: [],
    },
    {
      title: "Turista de Jalisco es deportado desde Estados Unidos",
      description: "Fue entregado en Tijuana a autoridades migratorias.",
      language: 'es',
      fires: [],
    },
    {
      title: "El Paso man extradited to Mexico for 2019 killing",
      description: "He was handed over at the Bridge of the Americas.",
      language: 'en',
      fires: [],
    },
    {
      title: "US returns stolen artifacts to Mexico",
      description: "The pre-Hispanic pieces were handed over at the consulate in New York.",
      language: 'en',
      fires: [],
    },
  ],

  'extradition: what is sent or moved is not a capo in custody, and handovers that are': [
    {
      title: "Mexico hands US list of 50 arms traffickers it wants extradited",
      description: "Sheinbaum said Washington must act against gun smugglers in Texas and Arizona.",
      language: 'en',
      fires: ['extradition'],
    },
    {
      title: "Mexico's Senate votes to send troops to US border",
      description: "The soldiers will help stop cartel traffickers crossing into Texas.",
      language: 'en',
      fires: [],
    },
    {
      title: "Cartel traffickers sent migrants to Texas in trucks, prosecutors say",
      description: "The Gulf cartel smugglers moved hundreds of people from Tamaulipas.",
      language: 'en',
      fires: ['cartel_leaders'],
    },
    {
      title: "Premian en Nueva York a periodista que investigó al cártel de Sinaloa",
      description: "La reportera mexicana recibió el galardón por su trabajo en Culiacán.",
      language: 'es',
      fires: ['cartel_leaders'],
    },
    {
      title: "Traslada FGR a penal de Almoloya a reos de alto perfil",
      description: "Los internos, ligados al narcotráfico, estaban en Sonora.",
      language: 'es',
      fires: [],
    },
    {
      title: "Entrega México a EU segunda lista de capos buscados",
      description: "La cancillería envió la relación de narcotraficantes que exige a Washington.",
      language: 'es',
      fires: [],
    },
    {
      title: "Harfuch y embajador de EU revisan traslado de capos",
      description: "",
      language: 'es',
      fires: ['extradition', 'cartel_leaders'],
    },
    {
      title: "Mexican cartel suspect arrested in Chicago after flight from Guadalajara",
      description: "He appeared in federal court on Monday.",
      language: 'en',
      fires: [],
    },
    {
      title: "Cuban dissident extradited from Mexico? Activists deny report",
      description: "",
      language: 'en',
      fires: [],
    },
  ],

  '"New Mexico" / "Nuevo México", the US state, is not Mexico': [
    {
      title: 'New Mexico sheriff extradites murder suspect to Texas',
      description: 'The suspect was arrested in Albuquerque on a warrant from Houston police.',
      language: 'en',
      fires: [],
    },
    {
      title: "New Mexico's governor warns tariffs will hurt the state's farmers",
      description: "Trump's tariffs on steel and aluminum would raise costs for pecan and chile growers, she said.",
      language: 'en',
      fires: [],
    },
    {
      title: 'Gobernadora de Nuevo México critica los aranceles de Trump al acero',
      description: 'Dijo que los gravámenes encarecerán la construcción en Albuquerque y Santa Fe.',
      language: 'es',
      fires: [],
    },
    {
      title: 'New Mexico jury convicts man in fentanyl case, sends him to federal prison',
      description: 'Prosecutors said the US citizen ran a drug ring out of Las Cruces.',
      language: 'en',
      fires: [],
    },
    // Look-alikes: New Mexico in a story about the country.
    {
      title: 'New Mexico border towns brace as tariffs on Mexican imports take effect',
      description: 'Traders in Santa Teresa say the 25% duty on goods from Mexico will slow crossings.',
      language: 'en',
      fires: ['tariffs'],
    },
    {
      title: 'Mexico extradites cartel hitman to New Mexico',
      description: 'He will face murder charges in federal court in Albuquerque, the Justice Department said.',
      language: 'en',
      fires: ['extradition'],
    },
    // Further stories of this kind.
    {
      title: "New Mexico lawmakers approve cannabis tax hike",
      description: "The state legislature in Santa Fe passed the bill on Tuesday.",
      language: 'en',
      fires: [],
    },
    {
      title: "Nuevo México declara emergencia por incendios forestales",
      description: "La gobernadora pidió ayuda federal a Estados Unidos.",
      language: 'es',
      fires: [],
    },
    {
      title: "Texas extradites Chihuahua native to Oklahoma in murder case",
      description: "The suspect, a US citizen born in Ciudad Juárez, was arrested in El Paso.",
      language: 'en',
      fires: [],
    },
  ],

  'tariffs: title-only Spanish stories that name no US word': [
    { title: 'Aranceles al acero mexicano entran en vigor', description: '', language: 'es', fires: ['tariffs'] },
    { title: 'Trump impone arancel de 30% a México', description: '', language: 'es', fires: ['tariffs'] },
    { title: 'Washington aplaza aranceles a autos mexicanos', description: '', language: 'es', fires: ['tariffs'] },
    { title: 'Casa Blanca confirma gravamen a exportaciones mexicanas', description: '', language: 'es', fires: ['tariffs'] },
    { title: 'Sube a 50% el arancel al tomate mexicano', description: '', language: 'es', fires: ['tariffs'] },
    { title: 'Tariffs on Mexican avocados take effect', description: '', language: 'en', fires: ['tariffs'] },
    // Look-alikes.
    { title: 'Entran en vigor aranceles de México a autos chinos', description: '', language: 'es', fires: [] },
    { title: 'Trump impone arancel de 35% a Canadá', description: '', language: 'es', fires: [] },
    {
      title: 'Trump usa la Ley de Seguridad Nacional para imponer aranceles al acero',
      description: 'La Sección 232 permite a Estados Unidos gravar importaciones de cualquier país.',
      language: 'es',
      fires: [],
    },
    // Further stories of this kind.
    {
      title: "Arancel de 25% a camiones mexicanos entra en vigor",
      description: "",
      language: 'es',
      fires: ['tariffs'],
    },
    {
      title: "Aplaza Trump otra vez aranceles a México",
      description: "",
      language: 'es',
      fires: ['tariffs'],
    },
    {
      title: "Sheinbaum: no habrá represalias por aranceles al acero",
      description: "La presidenta dijo que México seguirá negociando con Washington.",
      language: 'es',
      fires: ['tariffs'],
    },
    {
      title: "México impone aranceles a calzado y textiles asiáticos",
      description: "La medida busca proteger a la industria nacional.",
      language: 'es',
      fires: [],
    },
    {
      title: "Aranceles: qué productos mexicanos pagan más",
      description: "Una guía sobre los gravámenes que Estados Unidos impone a las exportaciones de México.",
      language: 'es',
      fires: ['tariffs'],
    },
  ],

  'tariffs: antidumping duties on Mexican tomatoes and the suspension agreement': [
    {
      title: 'US to impose 17% antidumping duty on fresh Mexican tomatoes',
      description: 'The Commerce Department said it would withdraw from the 2019 suspension agreement with Mexican growers.',
      language: 'en',
      fires: ['tariffs'],
    },
    {
      title: 'Florida growers welcome end of tomato suspension agreement',
      description: 'The Commerce Department will collect antidumping duties on tomatoes from Mexico starting next month.',
      language: 'en',
      fires: ['tariffs'],
    },
    {
      title: 'EU aplicará cuotas compensatorias de 21% al jitomate mexicano',
      description: 'El Departamento de Comercio dio por terminado el acuerdo con los productores de México.',
      language: 'es',
      fires: ['tariffs'],
    },
    { title: 'Productores de Sinaloa piden salvar el acuerdo de suspensión del tomate', description: '', language: 'es', fires: ['tariffs'] },
    // Look-alikes: tomatoes without trade, antidumping without the US and Mexico.
    {
      title: 'Tomato prices soar in Mexico after frost',
      description: 'Growers in Sinaloa lost half of the winter harvest, the agriculture ministry said.',
      language: 'en',
      fires: [],
    },
    {
      title: 'México impone cuotas compensatorias al acero chino',
      description: 'La Secretaría de Economía concluyó que las importaciones de China se venden por debajo de su costo.',
      language: 'es',
      fires: [],
    },
    {
      title: 'India imposes antidumping duty on Chinese solar glass',
      description: 'The duty will apply for five years, the finance ministry said.',
      language: 'en',
      fires: [],
    },
    // Further stories of this kind.
    {
      title: "Mexican tomato growers brace for 17% US duty",
      description: "The end of the suspension agreement leaves exporters in Sinaloa facing antidumping duties.",
      language: 'en',
      fires: ['tariffs'],
    },
    {
      title: "Commerce Department ends tomato suspension agreement with Mexico",
      description: "",
      language: 'en',
      fires: ['tariffs'],
    },
    {
      title: "Trump pone fin al acuerdo del tomate con México",
      description: "Los productores mexicanos pagarán cuotas compensatorias de 17% desde julio.",
      language: 'es',
      fires: ['tariffs'],
    },
    {
      title: "Mexico and US agree to extend tomato deal",
      description: "",
      language: 'en',
      fires: ['tariffs'],
    },
  ],

  'tariffs: US–Canada stories that mention Mexico in passing': [
    {
      title: 'Trump raises tariffs on Canadian goods to 35%',
      description: "The move leaves Mexico's exemption for goods covered by the USMCA in place while talks with Ottawa stall.",
      language: 'en',
      fires: [],
    },
    {
      title: 'Canada hits back at US steel tariffs with counter-duties',
      description: 'Ottawa says the measures mirror steps Mexico took in 2018 and will target American whiskey and boats.',
      language: 'en',
      fires: [],
    },
    {
      title: 'Canadá responde con aranceles a productos de Estados Unidos',
      description: 'El gobierno de Carney dijo que, a diferencia de México, no esperará a negociar con la Casa Blanca.',
      language: 'es',
      fires: [],
    },
    {
      title: 'Trump eleva a 35% los aranceles a Canadá',
      description: 'México, por ahora, mantiene la exención para los productos que cumplen con el T-MEC.',
      language: 'es',
      fires: [],
    },
    // Look-alikes: Mexico is a subject.
    {
      title: 'Trump hits Canada and Mexico with new tariffs',
      description: 'The White House said the levies respond to fentanyl and migration.',
      language: 'en',
      fires: ['tariffs'],
    },
    {
      title: 'Canadá y México responden a los aranceles de Trump',
      description: 'Ambos gobiernos anunciaron medidas de represalia contra productos estadounidenses.',
      language: 'es',
      fires: ['tariffs'],
    },
    {
      title: "Trump's new tariffs take effect at midnight",
      description: 'Goods from Mexico face a 25% levy, while Canadian energy gets a lower rate.',
      language: 'en',
      fires: ['tariffs'],
    },
    // Further stories of this kind.
    {
      title: "Canada's Carney meets Trump as tariffs bite",
      description: "Ottawa wants the same treatment Mexico got under the USMCA.",
      language: 'en',
      fires: [],
    },
    {
      title: "Trump slaps 50% tariffs on Brazil",
      description: "Brazil joins Mexico and Canada among countries facing steep duties.",
      language: 'en',
      fires: [],
    },
    {
      title: "Mexico's electricity regulator raises industrial tariffs",
      description: "US investors complained about the change.",
      language: 'en',
      fires: [],
    },
    {
      title: "Trump threatens 100% tariff on foreign films",
      description: "Mexican producers said it would hit co-productions shot in Durango and Mexico City.",
      language: 'en',
      fires: [],
    },
    {
      title: "EU retaliates against US steel tariffs",
      description: "Brussels targeted bourbon and motorcycles; Mexico and Canada have been exempted.",
      language: 'en',
      fires: [],
    },
    {
      title: "USMCA review: Canada seeks allies in Mexico",
      description: "Ottawa and Mexico City want to keep the pact trilateral.",
      language: 'en',
      fires: ['tariffs'],
    },
  ],

  'tariffs: the US side (Trump, Washington, Lutnick…) and Mexico as a subject': [
    {
      title: "Lutnick warns Mexico over steel surge",
      description: "The commerce secretary said Washington could impose new duties on Mexican steel.",
      language: 'en',
      fires: ['tariffs'],
    },
    {
      title: "Gravamen a remesas: lo que debes saber",
      description: "Estados Unidos cobrará 1% a los envíos de dinero a México.",
      language: 'es',
      fires: [],
    },
    {
      title: "China y México firman acuerdo para reducir aranceles agrícolas",
      description: "",
      language: 'es',
      fires: [],
    },
    {
      title: "Japan's automakers in Mexico face US tariffs",
      description: "Toyota and Nissan build cars in Guanajuato and Aguascalientes for export to the United States.",
      language: 'en',
      fires: ['tariffs'],
    },
    {
      title: "Tariffs could raise avocado prices, economists warn",
      description: "Most US avocados come from Michoacán, Mexico, and would face the 25% duty on Mexican goods.",
      language: 'en',
      fires: ['tariffs'],
    },
    {
      title: "Trump to hit Mexico with 30% tariff unless cartels are curbed",
      description: "",
      language: 'en',
      fires: ['tariffs'],
    },
    {
      title: "Trump says Mexico 'ripping us off' on trade",
      description: "",
      language: 'en',
      fires: [],
    },
    {
      title: "Sheinbaum: T-MEC seguirá pese a amenazas de Trump",
      description: "",
      language: 'es',
      fires: ['tariffs'],
    },
    {
      title: "Mexican peso slides as tariff fears grow",
      description: "Investors fear Washington will impose duties on Mexican exports next month.",
      language: 'en',
      fires: ['tariffs'],
    },
    {
      title: "Gobierno de Canadá y México refuerzan comercio",
      description: "Carney y Sheinbaum firmaron un plan de acción sin mencionar aranceles.",
      language: 'es',
      fires: [],
    },
  ],

  'cartel_leaders: relatives and lieutenants of the leaders': [
    {
      title: 'Extraditan a "El Jardinero" a Estados Unidos',
      description: 'Audias Flores Silva enfrentará cargos en una corte federal de Washington por tráfico de drogas.',
      language: 'es',
      fires: ['extradition', 'cartel_leaders'],
    },
    {
      title: '"El Nini" extraditado: enfrentará cargos en Nueva York',
      description: 'El exjefe de seguridad fue enviado por la FGR en un vuelo desde Toluca.',
      language: 'es',
      fires: ['extradition', 'cartel_leaders'],
    },
    {
      title: "'El Menchito' gets life sentence in Washington",
      description: 'Rubén Oseguera González was convicted last year of conspiring to distribute cocaine and methamphetamine.',
      language: 'en',
      fires: ['cartel_leaders'],
    },
    {
      title: 'Detienen a hijo del Mencho en Zapopan',
      description: 'Las autoridades no han confirmado su identidad.',
      language: 'es',
      fires: ['cartel_leaders'],
    },
    {
      title: 'Son of "El Mayo" blamed for Culiacán ambush',
      description: "Officials said gunmen loyal to 'El Mayito Flaco' killed four soldiers.",
      language: 'en',
      fires: ['cartel_leaders'],
    },
    {
      title: 'Muere en prisión hermano de "El Mayo"',
      description: 'Las autoridades penitenciarias confirmaron el deceso este domingo.',
      language: 'es',
      fires: ['cartel_leaders'],
    },
    {
      title: 'Emma Coronel released from US custody',
      description: "Emma Coronel Aispuro, the wife of Joaquín Guzmán, completed her sentence for helping run her husband's drug business.",
      language: 'en',
      fires: ['cartel_leaders'],
    },
    {
      title: 'Dictan 60 años de prisión a "El Marro"',
      description: 'José Antonio Yépez Ortiz fue sentenciado por un juez de Guanajuato por secuestro.',
      language: 'es',
      fires: ['cartel_leaders'],
    },
    {
      title: 'Former kingpin Osiel Cárdenas deported to Mexico after US sentence',
      description: 'He was handed to Mexican authorities at the Matamoros bridge.',
      language: 'en',
      fires: ['cartel_leaders'],
    },
    // Look-alikes: the nicknames as common words.
    {
      title: '"El jardinero fiel" vuelve a las salas de cine',
      description: 'La película se proyecta en una retrospectiva del festival de Morelia.',
      language: 'es',
      fires: [],
    },
    {
      title: 'Uno de cada cinco jóvenes es nini, según el Inegi',
      description: 'El número de ninis en México bajó por segundo año consecutivo.',
      language: 'es',
      fires: [],
    },
    {
      title: 'Con un marro, ladrones rompen cajero automático en Celaya',
      description: 'Los delincuentes escaparon con el dinero antes de que llegara la policía.',
      language: 'es',
      fires: [],
    },
    {
      title: 'Los mayos de Sonora celebran su Semana Santa',
      description: 'La etnia yoreme-mayo mantiene sus danzas de pascola y venado en Navojoa.',
      language: 'es',
      fires: [],
    },
    // Further stories of this kind.
    {
      title: "Trasladan a EU a 'El Jando', operador de Los Mayos",
      description: "La FGR lo entregó a agentes estadounidenses en el aeropuerto de Toluca.",
      language: 'es',
      fires: ['extradition', 'cartel_leaders'],
    },
    {
      title: "Hijo de 'El Chapo' pide trasladarse a prisión de baja seguridad",
      description: "",
      language: 'es',
      fires: ['cartel_leaders'],
    },
    {
      title: "Son of El Mencho's successor arrested in Guadalajara",
      description: "",
      language: 'en',
      fires: ['cartel_leaders'],
    },
    {
      title: "Capturan a 'El Jardinero' en Nayarit",
      description: "",
      language: 'es',
      fires: ['cartel_leaders'],
    },
    {
      title: "El jardinero del Parque Hundido cumple 40 años de servicio",
      description: "Vecinos de la alcaldía Benito Juárez le rindieron homenaje.",
      language: 'es',
      fires: [],
    },
    {
      title: "Mexican army kills 'El Mencho' lieutenant in Michoacán",
      description: "",
      language: 'en',
      fires: ['cartel_leaders'],
    },
    {
      title: "El Marro pide amparo contra su traslado",
      description: "El líder del Cártel de Santa Rosa de Lima está preso en el Altiplano.",
      language: 'es',
      fires: ['cartel_leaders'],
    },
    {
      title: "Mayo Clinic opens new campus in Arizona",
      description: "",
      language: 'en',
      fires: [],
    },
    {
      title: "Mexican drug lord's nephew sentenced in Chicago",
      description: "Prosecutors said he laundered money for his uncle's organisation in Sinaloa.",
      language: 'en',
      fires: [],
    },
    {
      title: "Los Mayos se adjudican ataque en Navolato",
      description: "Mensajes firmados por la facción aparecieron junto a los cuerpos.",
      language: 'es',
      fires: ['cartel_leaders'],
    },
    {
      title: "US court sentences 'El Chapo' associate to 20 years",
      description: "",
      language: 'en',
      fires: ['cartel_leaders'],
    },
    {
      title: "Cae 'El Güero', operador de Los Chapitos, en Culiacán",
      description: "",
      language: 'es',
      fires: ['cartel_leaders'],
    },
    {
      title: "Ovidio Guzmán's plea deal draws scrutiny",
      description: "",
      language: 'en',
      fires: ['cartel_leaders'],
    },
    {
      title: "Hermanos Treviño piden nuevo abogado",
      description: "Los exlíderes de Los Zetas enfrentan juicio en Washington.",
      language: 'es',
      fires: ['cartel_leaders'],
    },
    {
      title: "Juan Gabriel's 'El Mayo' concert film returns to theaters",
      description: "",
      language: 'en',
      fires: [],
    },
    {
      title: "Chapo, el perro rescatado en Jalisco, encuentra hogar",
      description: "El cachorro fue adoptado por una familia de Zapopan.",
      language: 'es',
      fires: [],
    },
    {
      title: "Detienen en Zapopan a presunto jefe de plaza del CJNG",
      description: "",
      language: 'es',
      fires: ['cartel_leaders'],
    },
  ],

  'cartel_leaders: the security secretary is not a cartel leader': [
    {
      title: 'García Harfuch says car thefts fell 20% this year',
      description: 'The security secretary credited new arrests by state police for the drop.',
      language: 'en',
      fires: [],
    },
    {
      title: 'Harfuch presume baja de 20% en robo de vehículos',
      description: 'El secretario de Seguridad atribuyó la reducción a detenciones en el Estado de México.',
      language: 'es',
      fires: [],
    },
    {
      title: 'García Harfuch comparece ante el Senado',
      description: 'El secretario presentó su informe sobre homicidios y detenciones del último trimestre.',
      language: 'es',
      fires: [],
    },
    // Look-alike: an operation against a named cartel still fires.
    {
      title: 'Harfuch confirma captura de operador del Cártel de Sinaloa',
      description: 'El detenido coordinaba el trasiego de droga en Sonora.',
      language: 'es',
      fires: ['cartel_leaders'],
    },
    // Further stories of this kind.
    {
      title: "Harfuch: detienen a 20 personas por robo a transporte",
      description: "El secretario informó de operativos en el Estado de México.",
      language: 'es',
      fires: [],
    },
    {
      title: "Harfuch anuncia detención de jefe de sicarios del CJNG",
      description: "",
      language: 'es',
      fires: ['cartel_leaders'],
    },
    {
      title: "Harfuch viaja a Washington para reunión sobre migración",
      description: "El secretario se reunirá con funcionarios del Departamento de Seguridad Nacional.",
      language: 'es',
      fires: [],
    },
    {
      title: "Harfuch confirma traslado de 'El Marro' a penal de Sonora",
      description: "",
      language: 'es',
      fires: ['cartel_leaders'],
    },
  ],
};

const rows = Object.values(KINDS).flat();
let answers: string[][] = [];

beforeAll(async () => {
  const input = rows.map((r) => JSON.stringify({ title: r.title, description: r.description, language: r.language })).join('\n');
  const result = await runCli(['match'], { input: `${input}\n` });
  expect(result.code).toBe(0);
  answers = result.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { watchlists: string[] }).watchlists);
  expect(answers).toHaveLength(rows.length);
});

for (const [kind, cases] of Object.entries(KINDS)) {
  describe(kind, () => {
    it.each(cases.map((c) => [`${c.fires.length === 0 ? 'none' : c.fires.join('+')} ← ${c.title}`, c] as const))('%s', (_name, c) => {
      expect(answers[rows.indexOf(c)]).toEqual(ORDER.filter((id) => c.fires.includes(id)));
    });
  });
}

describe('the fresh stories as a whole', () => {
  it('prints precision and recall per watchlist and language', () => {
    const scores = score(
      rows.map((r) => ({ ...r, topics: r.fires })),
      answers,
      ORDER,
    );
    console.log(`\nDefault watchlists on ${rows.length} fresh stories:\n${formatScores(scores)}\n`);
    expect(scores.length).toBeGreaterThan(0);
  });
});
