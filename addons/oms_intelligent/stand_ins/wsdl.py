"""The WSDL documents of the local SOAP stand-ins (document/literal, SOAP 1.1), as zeep reads them: XML schema
pieces written in a short notation, one string per element, ``"<name> <type>"`` with ``?`` after the type for an
optional element and ``*`` for a list::

    complex_type("Parcel", "Weight xsd:decimal", "Reference xsd:string?")
    wrapper("ListOrdersResponse", "Order tns:Order*")
"""


def element(spec: str) -> str:
    """``"<name> <type>[?|*]"``: an element, optional (``?``) or a list (``*``, optional too)."""
    name, xsd_type = spec.split()
    occurs = ""
    if xsd_type[-1] in "?*":
        occurs = ' minOccurs="0"' + (' maxOccurs="unbounded"' if xsd_type[-1] == "*" else "")
        xsd_type = xsd_type[:-1]
    return f'<xsd:element name="{name}" type="{xsd_type}"{occurs}/>'


def sequence(*specs: str) -> str:
    return f"<xsd:sequence>{''.join(element(spec) for spec in specs)}</xsd:sequence>"


def complex_type(name: str, *specs: str) -> str:
    return f'<xsd:complexType name="{name}">{sequence(*specs)}</xsd:complexType>'


def wrapper(name: str, *specs: str) -> str:
    """A document/literal wrapper element: an operation's request or response."""
    return f'<xsd:element name="{name}"><xsd:complexType>{sequence(*specs)}</xsd:complexType></xsd:element>'


def document(service: str, namespace: str, operations, schema: str, location: str) -> str:
    """A document/literal SOAP 1.1 WSDL: for each operation ``X``, the wrappers ``X`` (request) and ``XResponse``
    must be in ``schema``; the service ``<service>Service`` answers at ``location``."""
    messages = "".join(
        f'<wsdl:message name="{name}{suffix}"><wsdl:part name="parameters" element="tns:{name}{element_suffix}"/>'
        "</wsdl:message>"
        for name in operations
        for suffix, element_suffix in (("Request", ""), ("Response", "Response"))
    )
    port_operations = "".join(
        f'<wsdl:operation name="{name}"><wsdl:input message="tns:{name}Request"/>'
        f'<wsdl:output message="tns:{name}Response"/></wsdl:operation>'
        for name in operations
    )
    literal = '<soap:body use="literal"/>'
    binding_operations = "".join(
        f'<wsdl:operation name="{name}"><soap:operation soapAction="{namespace}:{name}"/>'
        f"<wsdl:input>{literal}</wsdl:input><wsdl:output>{literal}</wsdl:output></wsdl:operation>"
        for name in operations
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<wsdl:definitions name="Oms{service}" targetNamespace="{namespace}" xmlns:tns="{namespace}"
    xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <wsdl:types>
    <xsd:schema targetNamespace="{namespace}" elementFormDefault="qualified">{schema}</xsd:schema>
  </wsdl:types>
  {messages}
  <wsdl:portType name="{service}PortType">{port_operations}</wsdl:portType>
  <wsdl:binding name="{service}Binding" type="tns:{service}PortType">
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    {binding_operations}
  </wsdl:binding>
  <wsdl:service name="{service}Service">
    <wsdl:port name="{service}Port" binding="tns:{service}Binding"><soap:address location="{location}"/></wsdl:port>
  </wsdl:service>
</wsdl:definitions>
"""
