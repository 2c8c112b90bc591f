"""Word lists about the world the name finder types names with: states, places, government seats, parties. Pure data.

General knowledge, not any one article's: the members of the United Nations and the short forms news
copy uses for them, capitals and large cities, buildings that stand for governments, party
nicknames, common given names, news outlets, the words that make a name a place, a club or an
outlet, and the region of each state and large city (for the digest's region groups).
"""

from __future__ import annotations


def _names(block: str) -> set[str]:
    return {n.strip() for n in block.replace("\n", ",").split(",") if n.strip()}


STATES = _names(
    """
    Afghanistan, Albania, Algeria, Andorra, Angola, Antigua and Barbuda, Argentina, Armenia, Australia,
    Austria, Azerbaijan, Bahamas, Bahrain, Bangladesh, Barbados, Belarus, Belgium, Belize, Benin, Bhutan,
    Bolivia, Bosnia, Bosnia and Herzegovina, Botswana, Brazil, Brunei, Bulgaria, Burkina Faso, Burundi,
    Cambodia, Cameroon, Canada, Cape Verde, Central African Republic, Chad, Chile, China, Colombia,
    Comoros, Congo, Costa Rica, Croatia, Cuba, Cyprus, Czech Republic, Czechia, Denmark, Djibouti,
    Dominica, Dominican Republic, Ecuador, Egypt, El Salvador, Equatorial Guinea, Eritrea, Estonia,
    Eswatini, Ethiopia, Fiji, Finland, France, Gabon, Gambia, Georgia, Germany, Ghana, Greece, Grenada,
    Guatemala, Guinea, Guinea-Bissau, Guyana, Haiti, Honduras, Hungary, Iceland, India, Indonesia, Iran,
    Iraq, Ireland, Israel, Italy, Ivory Coast, Jamaica, Japan, Jordan, Kazakhstan, Kenya, Kiribati,
    Kosovo, Kuwait, Kyrgyzstan, Laos, Latvia, Lebanon, Lesotho, Liberia, Libya, Liechtenstein, Lithuania,
    Luxembourg, Madagascar, Malawi, Malaysia, Maldives, Mali, Malta, Mauritania, Mauritius, Mexico,
    Micronesia, Moldova, Monaco, Mongolia, Montenegro, Morocco, Mozambique, Myanmar, Burma, Namibia,
    Nauru, Nepal, Netherlands, Holland, New Zealand, Nicaragua, Niger, Nigeria, North Korea,
    North Macedonia, Macedonia, Norway, Oman, Pakistan, Palau, Palestine, Panama, Papua New Guinea,
    Paraguay, Peru, Philippines, Poland, Portugal, Qatar, Romania, Russia, Rwanda, Samoa, San Marino,
    Saudi Arabia, Senegal, Serbia, Seychelles, Sierra Leone, Singapore, Slovakia, Slovenia,
    Solomon Islands, Somalia, South Africa, South Korea, South Sudan, Spain, Sri Lanka, Sudan, Suriname,
    Sweden, Switzerland, Syria, Taiwan, Tajikistan, Tanzania, Thailand, Timor-Leste, East Timor, Togo,
    Tonga, Trinidad and Tobago, Tunisia, Turkey, Türkiye, Turkmenistan, Tuvalu, Uganda, Ukraine,
    United Arab Emirates, UAE, United Kingdom, Britain, Great Britain, England, Scotland, Wales,
    Northern Ireland, United States, America, Uruguay, Uzbekistan, Vanuatu, Vatican, Venezuela, Vietnam,
    Yemen, Zambia, Zimbabwe, Democratic Republic of Congo, Democratic Republic of the Congo, DRC,
    Republic of Congo, Zaire, Yugoslavia, Soviet Union, USSR, Czechoslovakia, Chechnya,
    Allemagne, Espagne, Italie, Royaume-Uni, Etats-Unis, États-Unis, Chine, Russie, Grèce, Irlande,
    Deutschland, Frankreich, Spanien, Italien, Großbritannien, Russland, Türkei, Griechenland, Belgien,
    España, Francia, Alemania, Italia, Reino Unido, Estados Unidos, Rusia, Grecia, Marruecos,
    Germania, Spagna, Regno Unito, Stati Uniti, Russia, Grecia, Svizzera, Messico, Brasile,
    Brasil, Japón, México, Perú, Bélgica, Suiza, Suecia, Noruega, Polonia, Ucrania, Turquía, Egipto,
    Irán, Siria, Corea del Norte, Corea del Sur, Sudáfrica, Arabia Saudí, Arabia Saudita, Países Bajos,
    Holanda, Israel, Líbano, Japon, Brésil, Mexique, Belgique, Suisse, Suède, Norvège, Pologne,
    Turquie, Égypte, Syrie, Maroc, Algérie, Tunisie, Inde, Corée du Nord, Corée du Sud, Pays-Bas,
    Afrique du Sud, Arabie saoudite, Liban, Israël, Österreich, Schweiz, Niederlande, Polen, Schweden,
    Norwegen, Dänemark, Ägypten, Marokko, Syrien, Indien, Brasilien, Mexiko, Nordkorea, Südkorea,
    Südafrika, Saudi-Arabien, Libanon, Tschechien, Ungarn, Rumänien, Cina, Giappone, Belgio, Svezia,
    Norvegia, Turchia, Egitto, Marocco, Corea del Nord, Paesi Bassi, Ungheria, Ucraina, Libia, Israele,
    Libano
    """
)

# Capitals and large cities: places, not actors, unless one stands for its government ("Beijing said").
CITIES = _names(
    """
    Abu Dhabi, Abuja, Accra, Addis Ababa, Algiers, Amman, Amsterdam, Ankara, Antwerp, Asuncion, Athens,
    Atlanta, Auckland, Baghdad, Baku, Bamako, Bangkok, Barcelona, Basra, Beijing, Beirut, Belfast,
    Belgrade, Berlin, Bern, Bogota, Bombay, Bonn, Bordeaux, Boston, Brasilia, Bratislava, Brisbane,
    Brussels, Bucharest, Budapest, Buenos Aires, Cairo, Calcutta, Canberra, Cape Town, Caracas,
    Casablanca, Chicago, Colombo, Copenhagen, Dakar, Dallas, Damascus, Dar es Salaam, Delhi, Detroit,
    Dhaka, Doha, Dubai, Dublin, Durban, Edinburgh, Frankfurt, Geneva, Glasgow, Goma, Guangzhou, Hamburg,
    Hanoi, Harare, Havana, Helsinki, Hong Kong, Houston, Islamabad, Istanbul, Jakarta, Jeddah,
    Jerusalem, Johannesburg, Kabul, Kampala, Karachi, Kathmandu, Khartoum, Kiev, Kyiv, Kigali, Kinshasa,
    Kolkata, Kuala Lumpur, Lagos, Lahore, La Paz, Libreville, Lilongwe, Lima, Lisbon, Liverpool,
    Ljubljana, London, Los Angeles, Luanda, Lusaka, Luxembourg, Lyon, Madrid, Managua, Manchester,
    Manila, Maputo, Marseille, Melbourne, Mexico City, Miami, Milan, Minsk, Mogadishu, Monrovia,
    Montevideo, Montreal, Moscow, Mumbai, Munich, Nairobi, Naples, New Delhi, New York, Niamey, Nice,
    Nicosia, Osaka, Oslo, Ottawa, Panama City, Paris, Perth, Philadelphia, Phnom Penh, Prague,
    Pretoria, Pyongyang, Quito, Rabat, Rangoon, Yangon, Reykjavik, Riga, Rio de Janeiro, Riyadh, Rome,
    Rotterdam, San Francisco, San Jose, Santiago, Santo Domingo, Sao Paulo, Sarajevo, Seattle, Seoul,
    Shanghai, Singapore, Skopje, Sofia, Stockholm, Strasbourg, Sydney, Taipei, Tallinn, Tashkent,
    Tbilisi, Tegucigalpa, Tehran, Tel Aviv, Tirana, Tokyo, Toronto, Tripoli, Tunis, Turin, Ulan Bator,
    Roma, Milano, Napoli, Torino, Firenze, Venezia, Bari, Palermo, Genova, Bologna, Londres, Moscou,
    Pékin, Bruxelles, Genève, Varsovie, Lisbonne, Athènes, Le Caire, Alger, Moscú, Pekín, Bruselas,
    Ginebra, Nueva York, Washington DC, Múnich, München, Köln, Wien, Brüssel, Moskau, Peking, Genf,
    Warschau, Rom, Mailand, Neapel, Venedig, Vienna,
    Vancouver, Vilnius, Warsaw, Washington, Wellington, Windhoek, Yaounde, Yerevan, Zagreb,
    Zurich, Gaza, West Bank, Ramallah, Hebron, Nablus, Jenin, Falluja, Fallujah, Mosul, Kirkuk, Tikrit,
    Ramadi, Najaf, Kandahar, Herat, Aleppo, Homs, Idlib, Kharkiv, Odesa, Odessa, Donetsk, Luhansk,
    Mariupol, Sevastopol, Grozny, Benghazi, Misrata, Darfur, Tigray, Kashmir, Xinjiang, Tibet, Macau,
    Okinawa, Crimea, Donbas, Cuzco, Lhasa, Kasumigaseki
    """
)

# The cities of CITIES that are no seat of a government: "Goma told journalists" is someone in Goma
# speaking, never Goma standing for a government as "Beijing warned" does.
NOT_CAPITALS = _names(
    """
    Antwerp, Atlanta, Auckland, Barcelona, Basra, Bombay, Bordeaux, Boston, Brisbane, Calcutta,
    Casablanca, Chicago, Dallas, Detroit, Dubai, Durban, Frankfurt, Geneva, Glasgow, Goma, Guangzhou,
    Hamburg, Houston, Istanbul, Jeddah, Johannesburg, Karachi, Kolkata, Lagos, Lahore, Liverpool,
    Los Angeles, Lyon, Manchester, Marseille, Melbourne, Miami, Milan, Montreal, Mumbai, Munich,
    Naples, New York, Nice, Osaka, Perth, Philadelphia, Rio de Janeiro, Rotterdam, San Francisco,
    Sao Paulo, Seattle, Shanghai, Strasbourg, Sydney, Toronto, Turin, Vancouver, Zurich, Milano,
    Napoli, Torino, Firenze, Venezia, Bari, Palermo, Genova, Bologna, Nueva York, Múnich, München,
    Köln, Mailand, Neapel, Venedig, Genève, Ginebra, Genf, Gaza, West Bank, Hebron, Nablus, Jenin,
    Falluja, Fallujah, Mosul, Kirkuk, Tikrit, Ramadi, Najaf, Kandahar, Herat, Aleppo, Homs, Idlib,
    Kharkiv, Odesa, Odessa, Donetsk, Luhansk, Mariupol, Sevastopol, Grozny, Benghazi, Misrata,
    Darfur, Tigray, Kashmir, Xinjiang, Tibet, Macau, Okinawa, Crimea, Donbas, Cuzco, Lhasa
    """
)
CAPITALS = CITIES - NOT_CAPITALS

# Regions, seas and areas: places.
REGIONS = _names(
    """
    Africa, Asia, Europe, Latin America, South America, North America, Central America, Middle East,
    Near East, Far East, Caribbean, Balkans, Caucasus, Sahel, Scandinavia, Mediterranean, Atlantic,
    Pacific, Arctic, Antarctica, Gulf, Persian Gulf, Red Sea, Black Sea, Baltic, South China Sea,
    East China Sea, Indian Ocean, Horn of Africa, West Africa, East Africa, Southeast Asia, Central Asia,
    Siberia, Patagonia, Amazon, Andes, Himalayas, Alps, Sinai, Golan Heights, Kurdistan, Punjab, Bavaria,
    Catalonia, Andalusia, Lombardy, Sicily, Sardinia, Corsica, Normandy, Brittany, Provence, Flanders,
    Wallonia, Quebec, Ontario, California, Texas, Florida, Hawaii, Alaska, Europa, Afrique, Asie,
    América Latina, Latinoamérica, Américas, África, Oriente Medio, Oriente Próximo, Amérique latine,
    Proche-Orient, Moyen-Orient, Afrika, Asien, Nahost, Lateinamerika, Medio Oriente, Sud-Ouest
    """
)

# Buildings and streets that stand for a government or its ministry: organisations, never people.
GOVERNMENT_SEATS = _names(
    """
    Downing Street, Number 10, No 10, No. 10, Whitehall, White House, Capitol Hill, Foggy Bottom,
    Pentagon, Kremlin, Elysee, Élysée, Quai d'Orsay, Matignon, Bercy, Zhongnanhai, Blue House,
    Chancellery, Bundeskanzleramt, Palazzo Chigi, Farnesina, Quirinale, Moncloa, Casa Rosada,
    Planalto, Los Pinos, Itamaraty, Kasumigaseki, Nagatacho, Porte de Brandebourg, Vatican
    """
)

# Nicknames of parties, and the party each one is.
PARTY_NICKNAMES = {
    "Tories": "Conservative Party",
    "Tory": "Conservative Party",
    "Lib Dems": "Liberal Democrats",
    "Lib Dem": "Liberal Democrats",
    "GOP": "Republican Party",
    "Dems": "Democratic Party",
    "Grits": "Liberal Party",
    "Labour": "Labour Party",
    "Greens": "Green Party",
    "SNP": "Scottish National Party",
    "DUP": "Democratic Unionist Party",
    "Sinn Fein": "Sinn Féin",
}

# The last word of a name that makes it a place ("Haute-Vienne" is not; "Fifth Avenue" is).
PLACE_WORDS = set(
    """
    street avenue road square lane boulevard bridge river valley mountain mountains island islands
    province region district county state city town village airport port harbour harbor bay lake sea
    ocean coast peninsula desert park stadium
    """.split()
)

# Words that open the name of a place in the article languages: "Vorort Molenbeek", "Stadtteil
# Molenbeek", "quartier de Molenbeek", "provincia di Bari".
PLACE_HEADS = set(
    """
    vorort stadtteil stadt bezirk provinz region dorf gemeinde viertel ortsteil kanton bundesland landkreis
    kreis hafen flughafen ville quartier commune banlieue région département barrio ciudad provincia
    municipio región quartiere città comune regione
    """.split()
)

# Words that make a name a club or team: organisations ("Manchester United", "Real Madrid").
CLUB_WORDS = set(
    """
    united city rovers athletic athletico atletico wanderers albion hotspur rangers celtic county
    town fc afc sc ac cf real inter sporting dynamo dinamo olympique olympiakos borussia bayer eintracht
    hertha werder fortuna racing juventus lazio ajax feyenoord psv benfica porto galatasaray
    fenerbahce besiktas spartak lokomotiv cska red sox yankees mets lakers bulls
    """.split()
)

# Given names common in news copy, to tell "Ana Ruiz" (a person) from "Ana Holdings" (a body).
GIVEN_NAMES = set(
    """
    aaron abdul abdullah adam adrian ahmad ahmed ajay akira alan albert alberto alejandro alex alexander
    alexandre alexei ali alice alain amir ana andrea andreas andrei andres andrew andy angela angelo
    anna anne anthony antonio arnold arthur ashraf barbara barry ben benjamin bernard bill bob boris
    brian bruce carl carlo carlos carmen catherine charles chris christian christine christopher claude
    colin daniel david dennis diego dimitri dmitry dominique donald doug edward elena elizabeth emily
    emmanuel enrique eric erik ernst eva fabio felipe fernando francesco francis francisco frank franz
    fred frederick gary george gerard gerhard gianni gilbert giorgio giovanni giuseppe gordon graham
    greg gregory guy hans harry hassan heinz helen helmut henri henry hiroshi hugo ian igor irina
    isabel ivan jack jacques james jan jane jason javier jean jeff jennifer jerry jim jimmy joachim
    joan joe johan john jonathan jorge jose joseph juan julia julian julie jurgen karen karl kenji
    kenneth kevin khalid klaus kofi kurt larry laura laurent lee leonid linda lisa louis luc luca
    lucas luis lydie manuel marc marco marcus margaret maria mario mark martin mary massimo matthew
    maurice max michael michel miguel mikhail mohamed mohammad mohammed muhammad nancy nathalie neil
    nelson nicholas nick nicolas nikolai norman olga oliver omar oscar pablo patricia patrick paul paulo
    pedro peter philip philippe pierre rafael ralph ramon raul ray raymond ricardo richard robert
    roberto roger roland ronald rudolf ruth ryan said salah salvatore sam samuel sandra sarah sergei
    sergio simon stefan stephen steve steven susan sven thomas tim timothy tom tony uwe victor vincent
    viktor vladimir walter werner william wolfgang yasser yuri yusuf
    """.split()
)


def _regions(blocks: dict[str, str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for region, block in blocks.items():
        for name in _names(block):
            out.setdefault(name, set()).add(region)
    return out


# The region each state lies in, for the digest's region groups (digest/regions.py); a state on a
# border of two regions is in both (Turkey, Russia, Egypt). Names as articles write them, in the five
# languages briefing reads.
STATE_REGIONS = _regions(
    {
        "Europe": """
    Albania, Andorra, Armenia, Austria, Azerbaijan, Belarus, Belgium, Bosnia, Bosnia and Herzegovina,
    Bulgaria, Croatia, Cyprus, Czech Republic, Czechia, Denmark, Estonia, Finland, France, Georgia,
    Germany, Greece, Hungary, Iceland, Ireland, Italy, Kosovo, Latvia, Liechtenstein, Lithuania,
    Luxembourg, Malta, Moldova, Monaco, Montenegro, Netherlands, Holland, North Macedonia, Macedonia,
    Norway, Poland, Portugal, Romania, Russia, San Marino, Serbia, Slovakia, Slovenia, Spain, Sweden,
    Switzerland, Turkey, Türkiye, Ukraine, United Kingdom, Britain, Great Britain, England, Scotland,
    Wales, Northern Ireland, Vatican, Yugoslavia, Soviet Union, USSR, Czechoslovakia, Chechnya,
    Allemagne, Espagne, Italie, Royaume-Uni, Russie, Grèce, Irlande, Belgique, Suisse, Suède, Norvège,
    Pologne, Turquie, Pays-Bas, Deutschland, Frankreich, Spanien, Italien, Großbritannien, Russland,
    Türkei, Griechenland, Belgien, Österreich, Schweiz, Niederlande, Polen, Schweden, Norwegen, Dänemark,
    Tschechien, Ungarn, Rumänien, España, Francia, Alemania, Italia, Reino Unido, Rusia, Grecia, Bélgica,
    Suiza, Suecia, Noruega, Polonia, Ucrania, Turquía, Países Bajos, Holanda, Germania, Spagna,
    Regno Unito, Svizzera, Belgio, Svezia, Norvegia, Turchia, Paesi Bassi, Ungheria, Ucraina
    """,
        "Middle East": """
    Bahrain, Egypt, Iran, Iraq, Israel, Jordan, Kuwait, Lebanon, Oman, Palestine, Qatar, Saudi Arabia,
    Syria, Turkey, Türkiye, United Arab Emirates, UAE, Yemen, Libya, Cyprus, Egipto, Irán, Siria, Líbano,
    Arabia Saudí, Arabia Saudita, Égypte, Syrie, Liban, Israël, Arabie saoudite, Ägypten, Syrien,
    Libanon, Saudi-Arabien, Egitto, Libia, Israele, Libano, Turquie, Türkei, Turquía, Turchia
    """,
        "Africa": """
    Algeria, Angola, Benin, Botswana, Burkina Faso, Burundi, Cameroon, Cape Verde, Central African Republic,
    Chad, Comoros, Congo, Djibouti, Egypt, Equatorial Guinea, Eritrea, Eswatini, Ethiopia, Gabon, Gambia,
    Ghana, Guinea, Guinea-Bissau, Ivory Coast, Kenya, Lesotho, Liberia, Libya, Madagascar, Malawi, Mali,
    Mauritania, Mauritius, Morocco, Mozambique, Namibia, Niger, Nigeria, Rwanda, Senegal, Seychelles,
    Sierra Leone, Somalia, South Africa, South Sudan, Sudan, Tanzania, Togo, Tunisia, Uganda, Zambia,
    Zimbabwe, Democratic Republic of Congo, Democratic Republic of the Congo, DRC, Republic of Congo,
    Zaire, Marruecos, Sudáfrica, Maroc, Algérie, Tunisie, Afrique du Sud, Marokko, Südafrika, Marocco
    """,
        "Asia": """
    Afghanistan, Bangladesh, Bhutan, Brunei, Cambodia, China, India, Indonesia, Japan, Kazakhstan,
    Kyrgyzstan, Laos, Malaysia, Maldives, Mongolia, Myanmar, Burma, Nepal, North Korea, Pakistan,
    Philippines, Russia, Singapore, South Korea, Sri Lanka, Taiwan, Tajikistan, Thailand, Timor-Leste,
    East Timor, Turkmenistan, Uzbekistan, Vietnam, Chine, Japon, Inde, Corée du Nord, Corée du Sud,
    Japón, Corea del Norte, Corea del Sur, Indien, Nordkorea, Südkorea, Cina, Giappone, Corea del Nord
    """,
        "Americas": """
    Antigua and Barbuda, Argentina, Bahamas, Barbados, Belize, Bolivia, Brazil, Canada, Chile, Colombia,
    Costa Rica, Cuba, Dominica, Dominican Republic, Ecuador, El Salvador, Grenada, Guatemala, Guyana,
    Haiti, Honduras, Jamaica, Mexico, Nicaragua, Panama, Paraguay, Peru, Suriname, Trinidad and Tobago,
    United States, America, Uruguay, Venezuela, Etats-Unis, États-Unis, Estados Unidos, Stati Uniti,
    Messico, Brasile, Brasil, México, Perú, Brésil, Mexique, Brasilien, Mexiko
    """,
        "Oceania": """
    Australia, Fiji, Kiribati, Micronesia, Nauru, New Zealand, Palau, Papua New Guinea, Samoa,
    Solomon Islands, Tonga, Tuvalu, Vanuatu
    """,
    }
)

# The region of the large cities in CITIES, for a story that names no state ("NEW YORK (Reuters) -").
CITY_REGIONS = _regions(
    {
        "Europe": """
    Amsterdam, Antwerp, Athens, Belfast, Belgrade, Berlin, Bern, Bonn, Bordeaux, Bratislava, Brussels,
    Bucharest, Budapest, Copenhagen, Dublin, Edinburgh, Frankfurt, Geneva, Glasgow, Hamburg, Helsinki,
    Istanbul, Kiev, Kyiv, Kharkiv, Odesa, Odessa, Donetsk, Luhansk, Mariupol, Sevastopol, Crimea, Donbas,
    Lisbon, Liverpool, Ljubljana, London, Luxembourg, Lyon, Madrid, Barcelona, Manchester, Marseille, Milan,
    Minsk, Moscow, Munich, Naples, Nice, Oslo, Paris, Prague, Reykjavik, Riga, Rome, Rotterdam, Sarajevo,
    Nicosia, Skopje, Sofia, Stockholm, Strasbourg, Tallinn, Tirana, Turin, Vienna, Vilnius, Warsaw, Zagreb, Zurich,
    Grozny, Tbilisi, Yerevan, Baku, Roma, Milano, Napoli, Torino, Firenze, Venezia, Bari, Palermo, Genova,
    Bologna, Londres, Moscou, Bruxelles, Genève, Varsovie, Lisbonne, Athènes, Moscú, Bruselas, Ginebra,
    Múnich, München, Köln, Wien, Brüssel, Moskau, Genf, Warschau, Rom, Mailand, Neapel, Venedig
    """,
        "Middle East": """
    Abu Dhabi, Amman, Ankara, Baghdad, Basra, Beirut, Cairo, Damascus, Doha, Dubai, Jeddah, Jerusalem,
    Riyadh, Tehran, Tel Aviv, Gaza, West Bank, Ramallah, Hebron, Nablus, Jenin, Falluja, Fallujah, Mosul,
    Kirkuk, Tikrit, Ramadi, Najaf, Aleppo, Homs, Idlib, Tripoli, Benghazi, Misrata, Le Caire
    """,
        "Africa": """
    Abuja, Accra, Addis Ababa, Algiers, Bamako, Cape Town, Casablanca, Dakar, Dar es Salaam, Durban, Goma,
    Harare, Johannesburg, Kampala, Khartoum, Kigali, Kinshasa, Lagos, Libreville, Lilongwe, Luanda, Lusaka,
    Maputo, Mogadishu, Monrovia, Nairobi, Niamey, Pretoria, Rabat, Tunis, Windhoek, Yaounde, Darfur,
    Tigray, Alger
    """,
        "Asia": """
    Bangkok, Beijing, Bombay, Calcutta, Colombo, Delhi, Dhaka, Guangzhou, Hanoi, Hong Kong, Islamabad,
    Jakarta, Kabul, Karachi, Kathmandu, Kolkata, Kuala Lumpur, Lahore, Manila, Mumbai, New Delhi, Osaka,
    Phnom Penh, Pyongyang, Rangoon, Yangon, Seoul, Shanghai, Singapore, Taipei, Tashkent, Tokyo,
    Ulan Bator, Kandahar, Herat, Kashmir, Xinjiang, Tibet, Macau, Okinawa, Lhasa, Kasumigaseki, Pékin,
    Pekín, Peking
    """,
        "Americas": """
    Asuncion, Atlanta, Bogota, Boston, Brasilia, Buenos Aires, Caracas, Chicago, Dallas, Detroit, Havana,
    Houston, La Paz, Lima, Los Angeles, Managua, Mexico City, Miami, Montevideo, Montreal, New York,
    Ottawa, Panama City, Philadelphia, Quito, Rio de Janeiro, San Francisco, San Jose, Santiago,
    Santo Domingo, Sao Paulo, Seattle, Tegucigalpa, Toronto, Vancouver, Washington, Washington DC, Cuzco,
    Nueva York
    """,
        "Oceania": """
    Auckland, Brisbane, Canberra, Melbourne, Perth, Sydney, Wellington
    """,
    }
)


# News outlets and agencies: organisations, never the speaker of what they report ("he told CNN").
OUTLETS = {
    "Reuters",
    "AP",
    "Associated Press",
    "AFP",
    "Agence France-Presse",
    "Bloomberg",
    "CNN",
    "BBC",
    "NPR",
    "Fox News",
    "Al Jazeera",
    "Xinhua",
    "Yonhap",
    "Kyodo",
    "Interfax",
    "TASS",
    "RIA Novosti",
    "ANSA",
    "EFE",
    "DPA",
    "SZ",
    "Le Monde",
    "El País",
    "Der Spiegel",
    "Asia Times",
    "Asia Times Online",
    "Daily Yomiuri",
    "The Guardian",
    "Guardian",
    "Financial Times",
    "Wall Street Journal",
    "New York Times",
    "Washington Post",
}

# Last words that make a name an outlet: "Radio Mashaal", "Japan Times", "Daily Mail".
OUTLET_WORDS = set(
    """
    radio tv television times post news journal herald gazette tribune telegraph mail daily weekly
    press agency broadcasting broadcaster channel newspaper magazine online zeitung tageblatt
    """.split()
)
