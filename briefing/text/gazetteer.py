"""The word lists the name finder works with: titles, demonyms, known states and bodies, places, aliases. Pure data."""

from __future__ import annotations

# Words that open a title before a name ("President Yoon Suk-yeol") and are never part of it.
TITLE_WORDS = set(
    """
    president vice prime minister ministers secretary general chancellor premier king queen prince
    princess emperor pope sheikh sheik ayatollah dr dr. mr mr. mrs mrs. ms ms. prof prof. professor sir
    dame lord lady senator sen. sen rep. representative congressman congresswoman governor gov.
    mayor ambassador envoy spokesman spokeswoman spokesperson chairman chairwoman chair chief
    director commander admiral colonel captain lieutenant sergeant major former acting deputy
    foreign defense defence national security advisor adviser leader speaker justice judge attorney
    ceo cfo founder executive officer senior supreme head crown interior finance trade economy
    analyst gen. lt. col. capt. adm. gov rev. father sister brother saint st. late
    mme mme. mlle m. monsieur madame herr frau señor señora sr. sra. don doña signor signora dott.
    bundespräsident bundespräsidentin bundeskanzler bundeskanzlerin kanzler kanzlerin präsident
    präsidentin ministerin außenminister außenministerin innenminister innenministerin
    finanzminister finanzministerin ministerpräsident ministerpräsidentin regierungschef
    regierungschefin bürgermeister bürgermeisterin sprecher sprecherin regisseur regisseurin
    schriftsteller schriftstellerin autor autorin vorsitzende vorsitzender abgeordnete
    abgeordneter staatssekretär staatssekretärin botschafter botschafterin papst könig königin
    presidente presidenta ministro ministra canciller secretario secretaria portavoz alcalde
    alcaldesa rey reina président présidente ministre porte-parole maire sénateur sénatrice député
    députée juge général sindaco senatore senatrice deputato deputata procuratore
    """.split()
)


# Nouns that continue a title as its portfolio ("Foreign Affairs Minister", "Home Affairs Ministry"),
# never a person's name after one.
PORTFOLIOS = set(
    """
    affairs relations development cooperation co-operation intelligence health education energy
    environment agriculture transport transportation labour labor industry commerce information
    communications culture tourism immigration treasury fisheries housing planning works welfare
    resources mines petroleum oil water sports youth women veterans homeland internal public
    relaciones exteriores extérieures étrangères esteri auswärtiges
    """.split()
)


# Adjectives of nationality and affiliation, peeled off the front of a run ("South Korean officials").
DEMONYMS = set(
    """
Afghan Albanian Algerian American Angolan Arab Argentine Argentinian Armenian Asian Australian Austrian
Azerbaijani Bahraini Bangladeshi Belarusian Belgian Bolivian Bosnian Brazilian British Bulgarian
Burmese Cambodian Cameroonian Canadian Chadian Chilean Chinese Colombian Congolese Croatian Cuban
Cypriot Czech Danish Dutch Ecuadorian Egyptian Emirati English Eritrean Estonian Ethiopian European
Filipino Finnish French Georgian German Ghanaian Greek Guatemalan Haitian Honduran Hungarian Icelandic
Indian Indonesian Iranian Iraqi Irish Israeli Italian Ivorian Jamaican Japanese Jordanian Kazakh Kenyan
Korean Kosovar Kurdish Kuwaiti Kyrgyz Lao Latvian Lebanese Liberian Libyan Lithuanian Malaysian Malian
Mexican Moldovan Mongolian Montenegrin Moroccan Mozambican Namibian Nepalese Nigerian Nigerien
Norwegian Omani Pakistani Palestinian Panamanian Paraguayan Persian Peruvian Polish Portuguese Qatari
Romanian Russian Rwandan Saudi Scottish Senegalese Serbian Singaporean Slovak Slovenian Somali
Spanish Sudanese Swedish Swiss Syrian Taiwanese Tajik Tanzanian Thai Tunisian Turkish Turkmen Ugandan
Ukrainian Uruguayan Uzbek Venezuelan Vietnamese Welsh Yemeni Zambian Zimbabwean African Western
Eastern Northern Southern Central Gulf Latin Nordic Baltic Balkan Arab Islamist Jihadist Sunni Shia
Shiite Kurdish Catholic Muslim Christian Jewish Hindu Buddhist Orthodox Soviet Allied
""".split()
)


# Capitalised words that open sentences and are never names on their own.
COMMON_OPENERS = set(
    """
    a an the this that these those it its he she they we i his her their our my your there here but
    and or yet so if when while after before since as at in on of for by with from to despite during
    according meanwhile however moreover although though because many some most all both each
    several analysts experts officials reports sources critics observers looking originally
    internationally backlash military dialogue things yesterday today tomorrow monday tuesday
    wednesday thursday friday saturday sunday january february march april may june july august
    september october november december also still now then not no one two three new former other
    later earlier last next first finally instead indeed overall separately elsewhere recently
    currently initially eventually soon once again only even just perhaps
    whenever wherever whatever whether unless until upon within without amid among against through
    throughout toward towards about above across along around behind below beneath beside besides
    between beyond into near onto over under unlike via like every any another either neither much
    more less few whose which whom nor thus hence therefore nevertheless nonetheless otherwise
    furthermore additionally likewise similarly ultimately apparently clearly obviously certainly
    presumably reportedly allegedly speaking following given asked
    such what who why how where jan feb mar apr jun jul aug sep sept oct nov dec gmt christmas easter
    soccer football cricket tennis golf hockey rugby basketball baseball cycling athletics boxing
    motorcycling skiing swimming standings results
    le la les l un une des du de dans pour avec sans sur sous par selon mais et ou où quand comme si
    ce cette ces il elle ils elles nous vous on en au aux à après avant depuis pendant chez lors
    el los las lo unos unas del con sin sobre para según pero cuando este esta estos estas ese esa
    ella ellos nosotros gli uno dei della delle nel nella per tra fra su ma questo questa quello
    der die das den dem des ein eine einer eines und oder aber wenn als wie im am zum zur vom von mit
    für auf nach bei seit während er sie es wir ihr auch noch schon
    laut sein seine seiner seinen seinem seines ihre ihrer ihren ihrem ihres dieses dieser diese
    diesen diesem jene jener jenes man nun doch denn dort hier heute gestern morgen damals dann
    daher deshalb darum trotz wegen zudem außerdem sondern ob dass weil obwohl nachdem bevor bis um
    gegen ohne durch über unter vor hinter neben zwischen alle viele einige mehrere jeder jede jedes
    kein keine nicht nur sogar bereits etwa rund mehr fast was wer wo warum wann welche welcher
    welches ich du mein meine unser unsere zwar immer
    qué cuál cuáles quién quiénes cómo dónde cuándo cuánto porque aunque incluso también además
    entonces luego ahora hoy ayer ya así muy más menos mucho muchos muchas todo todos toda todas otro
    otra otros otras cada algunos algunas ninguna nadie nada y ni que sí sus mis nuestro nuestra como
    donde es fue era han pueden se les nos yo usted ustedes él eso esto aquel aquella desde hasta
    entre hacia contra durante mediante tras ante
    qui quoi quel quelle quels quelles pourquoi comment combien donc car puis alors ainsi aussi encore
    déjà toujours jamais très plus moins tout tous toute toutes chaque certains plusieurs ses leur
    leurs mon mes notre nos votre vos je cela ceci ça celui celle ceux parmi vers malgré outre hier
    aujourd'hui demain lorsque puisque
    il lo gli che chi cosa quale quali dove perché anche ancora già poi quindi così molto più meno
    tutti tutte ogni alcuni alcune suo sua suoi sue loro mio mia nostro questi queste quella secondo
    dopo prima senza verso oggi ieri domani non ci ne io lui lei noi voi negli nelle al alla ai agli
    alle dal dalla sul sulla
    os as um uma do dos das em no na nas quem mas ou já ainda muito seu seus suas isso isto
    puede debe tiene está están será sería hace dice peut doit faut est sont était sera può deve
    è sono era sarà kann muss wird ist sind
    januar februar märz juni juli oktober dezember montag dienstag mittwoch donnerstag freitag
    samstag sonntag enero febrero marzo abril junio julio agosto septiembre octubre noviembre
    diciembre lunes martes miércoles jueves viernes sábado janvier février avril juin
    juillet août septembre octobre novembre décembre lundi mardi mercredi jeudi vendredi samedi
    dimanche gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre lunedì martedì
    mercoledì giovedì venerdì sabato domenica
    """.split()
)


CONNECTORS = set(
    """
    of the for on de da del della der den van von bin ibn al el la le du dos di
    """.split()
)


# "of", "for", "on" join words into one name only after these ("Organization of...", "Authority on...").
ORG_HEADS = set(
    """
    organization organisation institute authority bank ministry council community commission office
    department agency court fund programme program union league party association federation
    committee movement front foundation university center centre secretary board conference alliance
    coalition forces army republic kingdom state states bureau commissioner corps school college
    academy assembly house church
    """.split()
)


# States and bodies often named once, at the start of a sentence ("Japan has expressed...").
KNOWN_BODIES = {
    "Afghanistan",
    "Albania",
    "Algeria",
    "Argentina",
    "Armenia",
    "Australia",
    "Austria",
    "Azerbaijan",
    "Bahrain",
    "Bangladesh",
    "Belarus",
    "Belgium",
    "Bolivia",
    "Bosnia",
    "Brazil",
    "Bulgaria",
    "Cambodia",
    "Canada",
    "Chile",
    "China",
    "Colombia",
    "Croatia",
    "Cuba",
    "Cyprus",
    "Czechia",
    "Denmark",
    "Ecuador",
    "Egypt",
    "Estonia",
    "Ethiopia",
    "Finland",
    "France",
    "Georgia",
    "Germany",
    "Ghana",
    "Greece",
    "Hungary",
    "Iceland",
    "India",
    "Indonesia",
    "Iran",
    "Iraq",
    "Ireland",
    "Israel",
    "Italy",
    "Japan",
    "Jordan",
    "Kazakhstan",
    "Kenya",
    "Kosovo",
    "Kuwait",
    "Latvia",
    "Lebanon",
    "Libya",
    "Lithuania",
    "Malaysia",
    "Mali",
    "Mexico",
    "Moldova",
    "Mongolia",
    "Morocco",
    "Myanmar",
    "Nepal",
    "Netherlands",
    "Nigeria",
    "North Korea",
    "Norway",
    "Oman",
    "Pakistan",
    "Palestine",
    "Panama",
    "Peru",
    "Philippines",
    "Poland",
    "Portugal",
    "Qatar",
    "Romania",
    "Russia",
    "Saudi Arabia",
    "Serbia",
    "Singapore",
    "Slovakia",
    "Slovenia",
    "Somalia",
    "South Africa",
    "South Korea",
    "Spain",
    "Sudan",
    "Sweden",
    "Switzerland",
    "Syria",
    "Taiwan",
    "Thailand",
    "Turkey",
    "Türkiye",
    "Ukraine",
    "United Kingdom",
    "United States",
    "Uruguay",
    "Uzbekistan",
    "Venezuela",
    "Vietnam",
    "Yemen",
    "Zimbabwe",
    "United Nations",
    "European Union",
    "NATO",
    "OTAN",
    "ONU",
    "Mercosur",
    "Unasur",
    "ASEAN",
    "IAEA",
    "WHO",
    "IMF",
    "World Bank",
    "African Union",
    "Security Council",
    "Kremlin",
    "Pentagon",
    "White House",
    "Congress",
    "Parliament",
    "U.S.",
    "US",
    "U.K.",
    "UK",
    "U.N.",
    "UN",
    "EU",
    "E.U.",
    "USA",
    "U.S.A.",
}


BODIES_NOT_STATES = {
    "OTAN",
    "ONU",
    "Mercosur",
    "Unasur",
    "United Nations",
    "European Union",
    "NATO",
    "ASEAN",
    "IAEA",
    "WHO",
    "IMF",
    "World Bank",
    "African Union",
    "Security Council",
    "Kremlin",
    "Pentagon",
    "White House",
    "Congress",
    "Parliament",
    "U.N.",
    "UN",
    "EU",
    "E.U.",
}


# Capitals and datelines are places, not actors ("Tokyo said" names Japan, which the article names too).
PLACES = set(
    """
Abuja Accra Addis Ababa Aden Algiers Amman Ankara Athens Baghdad Baku Bamako Bangkok Beijing Beirut
Belgrade Berlin Bern Bratislava Brussels Bucharest Budapest Cairo Canberra Caracas Damascus Delhi
Dhaka Doha Dubai Geneva Hanoi Havana Islamabad Istanbul Jakarta Jeddah Jerusalem Kabul Kampala Karachi
Khartoum Kyiv Kiev Lagos Lima London Luanda Madrid Manila Minsk Mogadishu Moscow Mumbai Nairobi
Niamey Oslo Ottawa Paris Prague Pyongyang Rabat Riga Riyadh Rome Sanaa Santiago Seoul Shanghai
Singapore Sofia Stockholm Strasbourg Taipei Tallinn Tbilisi Tehran Tokyo Tripoli Tunis Vienna Vilnius
Warsaw Washington Yerevan Zagreb Hawaii Gaza Crimea Donbas Kharkiv Odesa Aleppo Idlib Mosul Basra
Benghazi Darfur Tigray Kashmir Xinjiang Tibet Hong Kong Macau Okinawa Gulf Mediterranean Atlantic
Pacific Arctic Sahel Balkans Caucasus Middle East
""".split()
) | {
    "Addis Ababa",
    "Hong Kong",
    "Middle East",
    "El Fasher",
    "New York",
    "New Delhi",
    "Tel Aviv",
    "Abu Dhabi",
    "Kuala Lumpur",
    "Buenos Aires",
    "Mexico City",
    "Sao Paulo",
    "Cape Town",
    "Nord Stream",
}


ORG_WORDS = set(
    """
    nations union council commission parliament state states assembly agency community front
    movement brigade brigades guard alliance ministry department party bank fund organization
    organisation committee court army navy force forces government office institute university group
    association corporation company inc. ltd news times post house nationen center centre foundation
    observatory secretariat college bureau authority board
    """.split()
)


ALIASES = {
    "U.S.": "United States",
    "US": "United States",
    "USA": "United States",
    "U.S.A.": "United States",
    "U.K.": "United Kingdom",
    "UK": "United Kingdom",
    "U.N.": "United Nations",
    "UN": "United Nations",
    "E.U.": "European Union",
    "EU": "European Union",
    "EE UU": "Estados Unidos",
    "EE.UU.": "Estados Unidos",
    "EEUU": "Estados Unidos",
}
