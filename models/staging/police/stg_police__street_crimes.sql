{{ police_uk_street_staging(source('police', 'street_crime'), 'police', 'street_crime') }}
