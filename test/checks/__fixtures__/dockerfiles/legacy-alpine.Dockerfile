FROM alpine
MAINTAINER ops@example.com
ENV API_TOKEN=ghp_0123456789abcdefghijklmnopqrstuvwxyzAB
RUN apk update && apk add curl bash sudo && \
    curl -sSL https://get.example.com/install.sh | sh && \
    chmod 777 /opt && chmod u+s /usr/bin/tool
ADD https://example.com/app.tar.gz /opt/
ADD config /etc/app/
EXPOSE 22 8080
WORKDIR opt
RUN cd /opt && ./configure
CMD /opt/app --serve
CMD ["/opt/app"]
