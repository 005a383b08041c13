{{ police_uk_street_staging(source('transport', 'btp_street_crime'), 'transport', 'btp_street_crime') }}
