package com.example.configdocs;

import static org.springframework.security.config.Customizer.withDefaults;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may call the service: editors write documents, the operator reads the actuator. HTTP Basic
 * with demo users (password {@code demo}); a real deployment plugs in its identity provider.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    static final String[] EDITORS = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"};

    @Bean
    SecurityFilterChain api(HttpSecurity http) throws Exception {
        return http
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/**").hasRole("OPERATOR")
                        .anyRequest().hasRole("EDITOR"))
                .httpBasic(withDefaults())
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .build();
    }

    @Bean
    InMemoryUserDetailsManager users() {
        InMemoryUserDetailsManager users = new InMemoryUserDetailsManager();
        for (String editor : EDITORS) {
            users.createUser(user(editor, "EDITOR"));
        }
        users.createUser(user("operator", "OPERATOR"));
        return users;
    }

    private static UserDetails user(String name, String role) {
        return User.withUsername(name).password("{noop}demo").roles(role).build();
    }
}
