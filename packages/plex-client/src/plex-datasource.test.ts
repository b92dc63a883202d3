import { describe, expect, it } from "vitest";

import { parseSoapResponse, soapEnvelope } from "./plex-datasource.client.js";

const RESPONSE = `<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
  <soap:Body>
    <ExecuteDataSourceResponse xmlns="http://www.plexus-online.com/DataSource">
      <ExecuteDataSourceResult>
        <DataSourceKey>37686</DataSourceKey><Error>false</Error><ErrorNo>200</ErrorNo>
        <Message>OK</Message>
        <ResultSets><ResultSet><RowCount>2</RowCount><Rows>
          <Row><Columns>
            <Column><Name>Customer_Code</Name><Value>ACME</Value></Column>
            <Column><Name>Name</Name><Value>Acme &amp; Söhne</Value></Column>
          </Columns></Row>
          <Row><Columns>
            <Column><Name>Customer_Code</Name><Value>0042</Value></Column>
            <Column><Name>Name</Name><Value></Value></Column>
          </Columns></Row>
        </Rows></ResultSet></ResultSets>
      </ExecuteDataSourceResult>
    </ExecuteDataSourceResponse>
  </soap:Body>
</soap:Envelope>`;

describe("Classic SOAP data sources", () => {
  it("reads rows as records of strings, keeping leading zeros and entities", () => {
    const result = parseSoapResponse(RESPONSE);

    expect(result.rows).toEqual([
      { Customer_Code: "ACME", Name: "Acme & Söhne" },
      { Customer_Code: "0042", Name: "" },
    ]);
  });

  it("turns Error=true into an error with Plex's number and message", () => {
    const failed = RESPONSE.replace(
      "<Error>false</Error><ErrorNo>200</ErrorNo>",
      "<Error>true</Error><ErrorNo>5</ErrorNo>",
    ).replace("<Message>OK</Message>", "<Message>Access denied</Message>");

    expect(() => parseSoapResponse(failed)).toThrow("Plex data source error 5: Access denied");
  });

  it("escapes input values in the envelope", () => {
    const envelope = soapEnvelope(37686, { Customer_Code: "A<B>&C" });

    expect(envelope).toContain("<dat:DataSourceKey>37686</dat:DataSourceKey>");
    expect(envelope).toContain("<dat:Value>A&lt;B&gt;&amp;C</dat:Value>");
    expect(envelope).toContain("<dat:Name>Customer_Code</dat:Name>");
  });
});
